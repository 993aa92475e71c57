//! Commands that hold state on the connection they are sent on, or are about that connection:
//! where a cluster client may send them.

/// Commands that leave state on their connection for a later command (a transaction's): only
/// WATCH and UNWATCH go to the node connections (where the transaction goes too); the rest
/// never leave the link.
pub fn holds_connection_state(name: &str) -> bool {
    matches!(
        name,
        "WATCH" | "UNWATCH" | "MULTI" | "EXEC" | "DISCARD" | "ASKING" | "READONLY" | "READWRITE"
    )
}

/// Commands about the connection they are sent on (CLIENT ID, CLIENT TRACKING ...): a node's
/// other commands of this kind go through the link's connection to it (a fan-out), so these go
/// there too, and `clientId({ route })` names the connection `clientId({ route: "allNodes" })`
/// does.
pub fn about_the_connection(name: &str) -> bool {
    name == "CLIENT"
        || name.starts_with("CLIENT ")
        || matches!(name, "HELLO" | "AUTH" | "SELECT" | "RESET" | "QUIT")
}
