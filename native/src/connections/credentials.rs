//! Password rotation (`updateConnectionPassword`): the settings a client reconnects with, and
//! the AUTH command that re-authenticates a live connection. The password is never part of an
//! error message.

use crate::config::Settings;
use redis::{Cmd, RedisConnectionInfo};

/// `settings` with `password` (None: no password; the ACL username, if any, is kept).
pub fn with_password(settings: &Settings, password: Option<&str>) -> Settings {
    let old = &settings.redis;
    let mut redis = RedisConnectionInfo::default()
        .set_protocol(old.protocol())
        .set_db(old.db());
    if let (Some(name), Some(ver)) = (old.lib_name(), old.lib_ver()) {
        redis = redis.set_lib_name(name, ver);
    }
    if let Some(p) = password {
        redis = redis.set_password(p);
        if let Some(u) = old.username() {
            redis = redis.set_username(u);
        }
    }
    Settings {
        redis,
        ..settings.clone()
    }
}

/// AUTH [username] password for `settings`, if it has a password.
pub fn auth(settings: &Settings) -> Option<Cmd> {
    auth_of(&settings.redis)
}

/// AUTH [username] password for `info`, if it has a password.
pub fn auth_of(info: &RedisConnectionInfo) -> Option<Cmd> {
    let password = info.password()?;
    let mut cmd = redis::cmd("AUTH");
    if let Some(u) = info.username() {
        cmd.arg(u);
    }
    cmd.arg(password);
    Some(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_rest_of_the_settings() {
        use prost::Message;
        let req = crate::proto::ConnectionRequest {
            addresses: vec![crate::proto::NodeAddress {
                host: "127.0.0.1".into(),
                port: 6379,
            }],
            ..Default::default()
        };
        let mut s = Settings::decode(&req.encode_to_vec()).unwrap_or_else(|_| panic!("settings"));
        s.redis = s.redis.clone().set_username("app").set_password("old");
        let n = with_password(&s, Some("new"));
        assert_eq!(n.redis.password(), Some("new"));
        assert_eq!(n.redis.username(), Some("app"));
        assert_eq!(n.redis.protocol(), s.redis.protocol());
        let none = with_password(&s, None);
        assert_eq!(none.redis.password(), None);
        assert!(auth(&none).is_none());
        assert!(auth(&n).is_some());
    }
}
