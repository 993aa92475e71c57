//! Compiles proto/connection.proto with protox (a pure-Rust protobuf compiler, so no system
//! protoc is needed) and prost-build.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "../proto/connection.proto";
    println!("cargo:rerun-if-changed={proto}");
    let files = protox::compile([proto], ["../proto"])?;
    prost_build::Config::new().compile_fds(files)?;
    Ok(())
}
