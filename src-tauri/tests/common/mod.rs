//! Helpers the app's integration tests share.

use cvm_console::profiles::SANDBOX_ID;
use cvm_console::state::AppState;
use serde_json::json;

/// Launches an instance in the Sandbox's ap-guangzhou with `password` (and `host_name`,
/// when given) straight through cvm-sim, and returns its id once it is RUNNING.
pub async fn running_sandbox_instance(
    state: &AppState,
    password: &str,
    host_name: Option<&str>,
) -> String {
    let sandbox = state.sandbox().await.unwrap();
    let addr = sandbox
        .base_url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let secret = state.vault.get(SANDBOX_ID).unwrap().unwrap();
    let mut c = cvm_sim::client::SimClient::new(
        addr,
        cvm_sim::Credential::new(secret.secret_id.clone(), secret.secret_key.expose()),
        "ap-guangzhou",
    );
    let mut launch = json!({"Placement": {"Zone": "ap-guangzhou-3"}, "ImageId": "img-487zeit5",
                            "LoginSettings": {"Password": password}});
    if let Some(h) = host_name {
        launch["HostName"] = json!(h);
    }
    let r = c.cvm("RunInstances", launch).await.unwrap().ok();
    let id = r["InstanceIdSet"][0].as_str().unwrap().to_owned();
    for _ in 0..600 {
        let d = c
            .cvm("DescribeInstances", json!({"InstanceIds": [id]}))
            .await
            .unwrap()
            .ok();
        if d["InstanceSet"][0]["InstanceState"] == "RUNNING" {
            return id;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("{id} never ran");
}
