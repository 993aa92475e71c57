/**
 * The span names GLIDE gives commands: its `RequestType` names (`glide-core/src/request_type.rs`),
 * by the command (and subcommand) they send, e.g. `HGETALL` -> `HGetAll`. Read only when tracing.
 * @module
 */

const TABLE = "GET=Get;SET=Set;PING=Ping;INFO=Info;DEL=Del;SELECT=Select;CONFIG GET=ConfigGet;" +
  "CONFIG SET=ConfigSet;CONFIG RESETSTAT=ConfigResetStat;CONFIG REWRITE=ConfigRewrite;" +
  "AUTH=Auth;CLIENT CACHING=ClientCaching;CLIENT GETNAME=ClientGetName;" +
  "CLIENT GETREDIR=ClientGetRedir;CLIENT ID=ClientId;CLIENT INFO=ClientInfo;" +
  "CLIENT KILL=ClientKill;CLIENT LIST=ClientList;CLIENT NO-EVICT=ClientNoEvict;" +
  "CLIENT NO-TOUCH=ClientNoTouch;CLIENT PAUSE=ClientPause;CLIENT REPLY=ClientReply;" +
  "CLIENT SETINFO=ClientSetInfo;CLIENT SETNAME=ClientSetName;" +
  "CLIENT TRACKING=ClientTracking;CLIENT TRACKINGINFO=ClientTrackingInfo;" +
  "CLIENT UNBLOCK=ClientUnblock;CLIENT UNPAUSE=ClientUnpause;HELLO=Hello;QUIT=Quit;" +
  "RESET=Reset;EXPIRE=Expire;HSET=HSet;HGET=HGet;HDEL=HDel;HEXISTS=HExists;MSET=MSet;" +
  "MGET=MGet;INCR=Incr;INCRBY=IncrBy;INCRBYFLOAT=IncrByFloat;DECR=Decr;DECRBY=DecrBy;" +
  "HGETALL=HGetAll;HMSET=HMSet;HMGET=HMGet;HINCRBY=HIncrBy;HINCRBYFLOAT=HIncrByFloat;" +
  "LPUSH=LPush;LPOP=LPop;RPUSH=RPush;RPOP=RPop;LLEN=LLen;LREM=LRem;LRANGE=LRange;" +
  "LTRIM=LTrim;SADD=SAdd;SREM=SRem;SMEMBERS=SMembers;SCARD=SCard;PEXPIREAT=PExpireAt;" +
  "PEXPIRE=PExpire;EXPIREAT=ExpireAt;EXISTS=Exists;UNLINK=Unlink;TTL=TTL;ZADD=ZAdd;" +
  "ZREM=ZRem;ZRANGE=ZRange;ZCARD=ZCard;ZCOUNT=ZCount;ZINCRBY=ZIncrBy;ZSCORE=ZScore;" +
  "TYPE=Type;HLEN=HLen;ECHO=Echo;ZPOPMIN=ZPopMin;STRLEN=Strlen;LINDEX=LIndex;" +
  "ZPOPMAX=ZPopMax;XACK=XAck;XADD=XAdd;XREADGROUP=XReadGroup;XREAD=XRead;" +
  "XGROUP CREATE=XGroupCreate;XGROUP DESTROY=XGroupDestroy;XTRIM=XTrim;HSETNX=HSetNX;" +
  "SISMEMBER=SIsMember;HVALS=HVals;HSETEX=HSetEx;HGETEX=HGetEx;HEXPIRE=HExpire;" +
  "HEXPIREAT=HExpireAt;HPEXPIRE=HPExpire;HPEXPIREAT=HPExpireAt;HPERSIST=HPersist;HTTL=HTtl;" +
  "HPTTL=HPTtl;HEXPIRETIME=HExpireTime;HPEXPIRETIME=HPExpireTime;PTTL=PTTL;" +
  "ZREMRANGEBYRANK=ZRemRangeByRank;PERSIST=Persist;ZREMRANGEBYSCORE=ZRemRangeByScore;" +
  "TIME=Time;ZRANK=ZRank;RENAME=Rename;KEYS=Keys;MIGRATE=Migrate;DBSIZE=DBSize;" +
  "BGREWRITEAOF=BgRewriteAof;BGSAVE=BgSave;FAILOVER=FailOver;BRPOP=BRPop;HKEYS=HKeys;" +
  "PFADD=PfAdd;PFCOUNT=PfCount;PFMERGE=PfMerge;RPUSHX=RPushX;LPUSHX=LPushX;BLPOP=BLPop;" +
  "LINSERT=LInsert;SPOP=SPop;ZMSCORE=ZMScore;ZDIFF=ZDiff;ZDIFFSTORE=ZDiffStore;" +
  "SETRANGE=SetRange;ZREMRANGEBYLEX=ZRemRangeByLex;ZLEXCOUNT=ZLexCount;APPEND=Append;" +
  "SDIFFSTORE=SDiffStore;SINTER=SInter;SINTERSTORE=SInterStore;SUNIONSTORE=SUnionStore;" +
  "ZRANGESTORE=ZRangeStore;ZRANGEBYLEX=ZRangeByLex;ZRANGEBYSCORE=ZRangeByScore;" +
  "ZREVRANGE=ZRevRange;ZREVRANGEBYLEX=ZRevRangeByLex;ZREVRANGEBYSCORE=ZRevRangeByScore;" +
  "GETRANGE=GetRange;SMOVE=SMove;SMISMEMBER=SMIsMember;ZUNIONSTORE=ZUnionStore;" +
  "LASTSAVE=LastSave;MONITOR=Monitor;GEOADD=GeoAdd;GEOHASH=GeoHash;" +
  "OBJECT ENCODING=ObjectEncoding;OBJECT FREQ=ObjectFreq;OBJECT IDLETIME=ObjectIdleTime;" +
  "GEODIST=GeoDist;SDIFF=SDiff;OBJECT REFCOUNT=ObjectRefCount;LOLWUT=Lolwut;GEOPOS=GeoPos;" +
  "BZPOPMAX=BZPopMax;RENAMENX=RenameNX;TOUCH=Touch;ZREVRANK=ZRevRank;" +
  "ZINTERSTORE=ZInterStore;HRANDFIELD=HRandField;ZUNION=ZUnion;BZPOPMIN=BZPopMin;" +
  "FLUSHALL=FlushAll;PSYNC=PSync;REPLCONF=ReplConf;REPLICAOF=ReplicaOf;" +
  "RESTORE-ASKING=RestoreAsking;ROLE=Role;SAVE=Save;SHUTDOWN=ShutDown;SLAVEOF=SlaveOf;" +
  "SLOWLOG GET=SlowLogGet;SLOWLOG LEN=SlowLogLen;SLOWLOG RESET=SlowLogReset;SWAPDB=SwapDb;" +
  "SYNC=Sync;ZRANDMEMBER=ZRandMember;BITCOUNT=BitCount;BZMPOP=BZMPop;LMPOP=LMPop;" +
  "BLMPOP=BLMPop;SETBIT=SetBit;ZINTERCARD=ZInterCard;ZMPOP=ZMPop;GETBIT=GetBit;" +
  "ZINTER=ZInter;FUNCTION LOAD=FunctionLoad;FUNCTION LIST=FunctionList;" +
  "FUNCTION DELETE=FunctionDelete;FUNCTION FLUSH=FunctionFlush;FCALL=FCall;BITPOS=BitPos;" +
  "BITOP=BitOp;HSTRLEN=HStrlen;EXPIRETIME=ExpireTime;PEXPIRETIME=PExpireTime;XLEN=XLen;" +
  "FUNCTION KILL=FunctionKill;FUNCTION STATS=FunctionStats;FCALL_RO=FCallReadOnly;" +
  "FLUSHDB=FlushDB;LSET=LSet;XDEL=XDel;XRANGE=XRange;LMOVE=LMove;BLMOVE=BLMove;" +
  "GETDEL=GetDel;SRANDMEMBER=SRandMember;BITFIELD=BitField;BITFIELD_RO=BitFieldReadOnly;" +
  "MOVE=Move;SINTERCARD=SInterCard;COPY=Copy;SORT=Sort;XREVRANGE=XRevRange;MSETNX=MSetNX;" +
  "LPOS=LPos;LCS=LCS;GEOSEARCH=GeoSearch;SUNION=SUnion;WATCH=Watch;UNWATCH=UnWatch;" +
  "DISCARD=Discard;EXEC=Exec;MULTI=Multi;GEOSEARCHSTORE=GeoSearchStore;PUBLISH=Publish;" +
  "SPUBLISH=SPublish;XGROUP DELCONSUMER=XGroupDelConsumer;RANDOMKEY=RandomKey;GETEX=GetEx;" +
  "DUMP=Dump;RESTORE=Restore;SORT_RO=SortReadOnly;FUNCTION DUMP=FunctionDump;" +
  "FUNCTION RESTORE=FunctionRestore;XPENDING=XPending;XGROUP SETID=XGroupSetId;SSCAN=SScan;" +
  "ZSCAN=ZScan;HSCAN=HScan;XAUTOCLAIM=XAutoClaim;XINFO GROUPS=XInfoGroups;" +
  "XINFO CONSUMERS=XInfoConsumers;XINFO STREAM=XInfoStream;WAIT=Wait;WAITAOF=WaitAof;" +
  "XCLAIM=XClaim;SCAN=Scan;PUBSUB CHANNELS=PubSubChannels;PUBSUB NUMSUB=PubSubNumSub;" +
  "PUBSUB NUMPAT=PubSubNumPat;PUBSUB SHARDNUMSUB=PubSubShardNumSub;EVAL_RO=EvalReadOnly;" +
  "EVALSHA_RO=EvalShaReadOnly;SCRIPT DEBUG=ScriptDebug;SCRIPT EXISTS=ScriptExists;" +
  "SCRIPT FLUSH=ScriptFlush;SCRIPT KILL=ScriptKill;SCRIPT SHOW=ScriptShow;" +
  "JSON.ARRAPPEND=JsonArrAppend;JSON.ARRINDEX=JsonArrIndex;JSON.ARRINSERT=JsonArrInsert;" +
  "JSON.ARRLEN=JsonArrLen;JSON.ARRPOP=JsonArrPop;JSON.ARRTRIM=JsonArrTrim;" +
  "JSON.CLEAR=JsonClear;JSON.DEBUG=JsonDebug;JSON.DEL=JsonDel;JSON.FORGET=JsonForget;" +
  "JSON.GET=JsonGet;JSON.MGET=JsonMGet;JSON.NUMINCRBY=JsonNumIncrBy;" +
  "JSON.NUMMULTBY=JsonNumMultBy;JSON.OBJKEYS=JsonObjKeys;JSON.OBJLEN=JsonObjLen;" +
  "JSON.RESP=JsonResp;JSON.SET=JsonSet;JSON.STRAPPEND=JsonStrAppend;JSON.STRLEN=JsonStrLen;" +
  "JSON.TOGGLE=JsonToggle;JSON.TYPE=JsonType;FT._LIST=FtList;FT.AGGREGATE=FtAggregate;" +
  "FT.ALIASADD=FtAliasAdd;FT.ALIASDEL=FtAliasDel;FT._ALIASLIST=FtAliasList;" +
  "FT.ALIASUPDATE=FtAliasUpdate;FT.CREATE=FtCreate;FT.DROPINDEX=FtDropIndex;" +
  "FT.EXPLAIN=FtExplain;FT.EXPLAINCLI=FtExplainCli;FT.INFO=FtInfo;FT.PROFILE=FtProfile;" +
  "FT.SEARCH=FtSearch;MODULE LIST=ModuleList;MODULE LOAD=ModuleLoad;" +
  "MODULE LOADEX=ModuleLoadEx;MODULE UNLOAD=ModuleUnload;ASKING=Asking;" +
  "CLUSTER ADDSLOTS=ClusterAddSlots;CLUSTER BUMPEPOCH=ClusterBumpEpoch;" +
  "CLUSTER DELSLOTS=ClusterDelSlots;CLUSTER FAILOVER=ClusterFailover;" +
  "CLUSTER FLUSHSLOTS=ClusterFlushSlots;CLUSTER FORGET=ClusterForget;" +
  "CLUSTER INFO=ClusterInfo;CLUSTER KEYSLOT=ClusterKeySlot;CLUSTER LINKS=ClusterLinks;" +
  "CLUSTER MEET=ClusterMeet;CLUSTER MYID=ClusterMyId;CLUSTER MYSHARDID=ClusterMyShardId;" +
  "CLUSTER NODES=ClusterNodes;CLUSTER REPLICAS=ClusterReplicas;" +
  "CLUSTER REPLICATE=ClusterReplicate;CLUSTER RESET=ClusterReset;" +
  "CLUSTER SAVECONFIG=ClusterSaveConfig;CLUSTER SETSLOT=ClusterSetslot;" +
  "CLUSTER SHARDS=ClusterShards;CLUSTER SLAVES=ClusterSlaves;CLUSTER SLOTS=ClusterSlots;" +
  "READONLY=ReadOnly;READWRITE=ReadWrite;ACL CAT=AclCat;ACL DELUSER=AclDelUser;" +
  "ACL DRYRUN=AclDryRun;ACL GENPASS=AclGenPass;ACL GETUSER=AclGetUser;ACL LIST=AclList;" +
  "ACL LOAD=AclLoad;ACL LOG=AclLog;ACL SAVE=AclSave;ACL SETUSER=AclSetUser;" +
  "ACL USERS=AclUsers;ACL WHOAMI=AclWhoami;COMMAND COUNT=CommandCount;" +
  "COMMAND DOCS=CommandDocs;COMMAND GETKEYS=CommandGetKeys;COMMAND INFO=CommandInfo;" +
  "COMMAND LIST=CommandList;LATENCY DOCTOR=LatencyDoctor;LATENCY GRAPH=LatencyGraph;" +
  "LATENCY HISTOGRAM=LatencyHistogram;LATENCY HISTORY=LatencyHistory;" +
  "LATENCY LATEST=LatencyLatest;LATENCY RESET=LatencyReset;MEMORY DOCTOR=MemoryDoctor;" +
  "MEMORY MALLOC-STATS=MemoryMallocStats;MEMORY PURGE=MemoryPurge;MEMORY STATS=MemoryStats;" +
  "MEMORY USAGE=MemoryUsage;PSUBSCRIBE=PSubscribe;PUNSUBSCRIBE=PUnsubscribe;" +
  "SSUBSCRIBE=SSubscribe;SUBSCRIBE=Subscribe;SUNSUBSCRIBE=SUnsubscribe;" +
  "UNSUBSCRIBE=Unsubscribe;SUBSCRIBE_BLOCKING=SubscribeBlocking;" +
  "UNSUBSCRIBE_BLOCKING=UnsubscribeBlocking;PSUBSCRIBE_BLOCKING=PSubscribeBlocking;" +
  "PUNSUBSCRIBE_BLOCKING=PUnsubscribeBlocking;SSUBSCRIBE_BLOCKING=SSubscribeBlocking;" +
  "SUNSUBSCRIBE_BLOCKING=SUnsubscribeBlocking;GET_SUBSCRIPTIONS=GetSubscriptions;" +
  "SETEX=SetEx;PSETEX=PSetEx;SETNX=SetNX;";

let names: Map<string, string> | undefined;
/** The commands GLIDE names by their subcommand too (`CLIENT`, `CONFIG`, ...). */
let containers: Set<string> | undefined;

/**
 * GLIDE's span name for a command named `name` (upper case), whose subcommand `sub()` gives
 * (asked only of commands that have subcommands), or `undefined` if GLIDE has none.
 * @internal
 */
export function requestTypeName(
  name: string,
  sub: () => string | undefined,
): string | undefined {
  if (names === undefined || containers === undefined) {
    names = new Map();
    containers = new Set();
    for (const entry of TABLE.split(";")) {
      const eq = entry.indexOf("=");
      if (eq <= 0) continue;
      const key = entry.slice(0, eq);
      names.set(key, entry.slice(eq + 1));
      const space = key.indexOf(" ");
      if (space > 0) containers.add(key.slice(0, space));
    }
  }
  const second = containers.has(name) ? sub() : undefined;
  return (second !== undefined ? names.get(`${name} ${second}`) : undefined) ?? names.get(name);
}
