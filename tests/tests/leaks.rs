//! Secret-leak audit of the credential-bearing types of `tencent-api` and `cvm-sim`:
//! their Debug and Display output, and the text of the panics that carry them (`{:?}` in a
//! panic, `unwrap`/`expect` on an `Err` holding one, a failing `assert_eq!`), never contain
//! the SecretKey, the session token, a password or a private key, nor any 8-character
//! piece of them. The panic text is checked both as the payload and as the panic hook
//! renders it (what lands on stderr or in a crash report).
//!
//! The app's own types (`StoredSecret`, `ProfileInput`, the wizard's `Login`) live in
//! `src-tauri`, which nothing may depend on (not even this test crate); their checks live
//! next to them.

use cvm_sim::{Config, Credential};
use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use tencent_api::models::cvm;
use tencent_api::{Client, Credentials, Endpoint, Sensitive};

const SECRET_ID: &str = "AKIDleakAudit0000000000000000000001";
const KEY: &str = "LeakCanaryKey-7f3a9c0e1b5d2468ace";
const TOKEN: &str = "LeakCanaryToken-0b1c2d3e4f5a6b7c8d";
const PASSWORD: &str = "LeakCanaryPass-Zq8!xv3#Lm5";
const PRIVATE_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----LeakCanaryPrivKey9d8c7b6a";
const SECRETS: &[&str] = &[KEY, TOKEN, PASSWORD, PRIVATE_KEY];

/// Fails when `text` holds a secret or any 8-character window of one.
fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        let chars: Vec<char> = secret.chars().collect();
        for w in chars.windows(8) {
            let piece: String = w.iter().collect();
            // The PEM header is public boilerplate, not part of the secret.
            if "-----BEGIN RSA PRIVATE KEY-----".contains(&piece) {
                continue;
            }
            assert!(
                !text.contains(&piece),
                "{what} leaks {piece:?} of a secret:\n{text}"
            );
        }
    }
}

thread_local! {
    /// Set while a panic is provoked on purpose on this thread.
    static EXPECTING: Cell<bool> = const { Cell::new(false) };
    static HOOK_TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records what the panic hook would print for provoked panics (per thread: tests run in
/// parallel); any other panic, a failing assertion, goes to the usual hook.
fn capture_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let usual = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if EXPECTING.with(Cell::get) {
                HOOK_TEXT.with(|t| *t.borrow_mut() = info.to_string());
            } else {
                usual(info);
            }
        }))
    });
}

/// Runs `f`, which must panic, and returns the payload and the hook's rendering.
fn panic_text(f: impl FnOnce()) -> String {
    capture_panics();
    HOOK_TEXT.with(|t| t.borrow_mut().clear());
    EXPECTING.with(|e| e.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    EXPECTING.with(|e| e.set(false));
    let payload = result.expect_err("the closure must panic");
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default();
    let hook = HOOK_TEXT.with(|t| t.borrow().clone());
    assert!(!message.is_empty() && !hook.is_empty());
    format!("{message}\n{hook}")
}

/// Debug (plain and pretty), and every common way a value ends up in panic text.
fn audit<T: Debug + Clone>(what: &str, v: &T) {
    assert_clean(&format!("{what} {{:?}}"), &format!("{v:?}"));
    assert_clean(&format!("{what} {{:#?}}"), &format!("{v:#?}"));
    assert_clean(
        &format!("panic!({what})"),
        &panic_text(|| panic!("failed with {v:?}")),
    );
    let err: Result<(), T> = Err(v.clone());
    assert_clean(
        &format!("unwrap on Err({what})"),
        &panic_text(|| err.clone().unwrap()),
    );
    assert_clean(
        &format!("expect on Err({what})"),
        &panic_text(|| err.clone().expect("context")),
    );
    let ok: Result<T, ()> = Ok(v.clone());
    assert_clean(
        &format!("unwrap_err on Ok({what})"),
        &panic_text(|| ok.clone().unwrap_err()),
    );
}

fn credentials() -> Credentials {
    Credentials::with_token(SECRET_ID, KEY, TOKEN)
}

#[test]
fn credentials_never_print_the_key_or_token() {
    let c = credentials();
    audit("Credentials", &c);
    audit(
        "Credentials without token",
        &Credentials::new(SECRET_ID, KEY),
    );
    assert_clean("Credentials Display", &format!("{c}"));
    assert_clean(
        "panic with Credentials Display",
        &panic_text(|| panic!("bad profile {c}")),
    );
    // Inside containers, as they travel through the app.
    audit("Option<Credentials>", &Some(c.clone()));
    audit("Vec<Credentials>", &vec![c.clone(), c]);
}

#[test]
fn sensitive_values_and_the_models_carrying_them_never_print() {
    audit("Sensitive", &Sensitive::new(PASSWORD));
    assert_clean(
        "assert_eq! on Sensitive",
        &panic_text(|| assert_eq!(Sensitive::new(PASSWORD), Sensitive::new(KEY))),
    );
    let login = cvm::LoginSettings {
        password: Some(Sensitive::new(PASSWORD)),
        ..Default::default()
    };
    audit("LoginSettings", &login);
    let run = cvm::RunInstancesRequest {
        login_settings: Some(login.clone()),
        ..Default::default()
    };
    audit("RunInstancesRequest", &run);
    assert_clean(
        "assert_eq! on RunInstancesRequest",
        &panic_text(|| assert_eq!(run, cvm::RunInstancesRequest::default())),
    );
    audit(
        "ResetInstancesPasswordRequest",
        &cvm::ResetInstancesPasswordRequest {
            password: Some(Sensitive::new(PASSWORD)),
            ..Default::default()
        },
    );
    audit(
        "KeyPair",
        &cvm::KeyPair {
            private_key: Some(Sensitive::new(PRIVATE_KEY)),
            ..Default::default()
        },
    );
    // A Sensitive still goes over the wire: redaction is for printing only.
    let wire = serde_json::to_string(&login).unwrap();
    assert!(wire.contains(PASSWORD), "{wire}");
}

#[test]
fn a_client_never_prints_its_key() {
    let client = Client::builder(credentials())
        .endpoint(Endpoint::Custom("http://127.0.0.1:9".into()))
        .build()
        .unwrap();
    audit("Client", &client);
    assert_clean(
        "Client.credentials()",
        &format!("{:?}", client.credentials()),
    );
}

#[test]
fn sim_credentials_and_config_never_print_the_key_or_token() {
    let mut cred = Credential::new(SECRET_ID, KEY);
    cred.token = Some(TOKEN.into());
    audit("cvm_sim::Credential", &cred);
    assert_clean(
        "assert_eq! on cvm_sim::Credential",
        &panic_text(|| assert_eq!(cred, Credential::default())),
    );
    let config = Config {
        credentials: vec![cred.clone()],
        ..Default::default()
    };
    audit("cvm_sim::Config", &config);
    audit(
        "cvm_sim::Config::sandbox",
        &Config::sandbox(cred, Some("/tmp/world.json".into())),
    );
}

/// Over real HTTP: the errors a wrong key, an unknown token or a refused call produce
/// (what the app shows and logs) and the panics of unwrapping them carry no secret.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_from_real_calls_never_carry_a_secret() {
    let mut cred = Credential::new(SECRET_ID, "TheSimsOwnKey-not-a-canary-000");
    cred.token = Some("the-sims-token".into());
    let sim = cvm_sim::start(Config {
        credentials: vec![cred],
        time_scale: 0.0,
        ..Default::default()
    })
    .await
    .unwrap();
    let client = Client::builder(credentials())
        .endpoint(Endpoint::Custom(sim.base_url()))
        .build()
        .unwrap();
    let e = client
        .describe_zones("ap-guangzhou", &Default::default())
        .await
        .unwrap_err();
    assert!(e.code().starts_with("AuthFailure"), "{e}");
    for text in [
        e.to_string(),
        format!("{e:?}"),
        e.message(),
        e.code().to_owned(),
    ] {
        assert_clean("an AuthFailure error", &text);
    }
    assert_clean(
        "unwrap on an AuthFailure",
        &panic_text(|| panic!("called `Result::unwrap()` on an `Err` value: {e:?}")),
    );

    // A refused password reset quotes nothing of the request.
    let e = client
        .reset_instances_password(
            "ap-guangzhou",
            &cvm::ResetInstancesPasswordRequest {
                instance_ids: Some(vec!["ins-00000000".into()]),
                password: Some(Sensitive::new(PASSWORD)),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_clean("a refused ResetInstancesPassword", &format!("{e} {e:?}"));
    sim.shutdown().await.unwrap();
}

/// The audit itself notices a leak, also a partial one.
#[test]
fn the_audit_catches_a_leaky_type() {
    #[derive(Debug)]
    #[allow(dead_code)] // read only through Debug
    struct Leaky {
        key: String,
    }
    let whole = Leaky { key: KEY.into() };
    let text = panic_text(|| assert_clean("Leaky", &format!("{whole:?}")));
    assert!(text.contains("Leaky leaks"), "{text}");
    let piece = Leaky {
        key: KEY[4..14].into(),
    };
    let text = panic_text(|| assert_clean("a piece", &format!("{piece:?}")));
    assert!(text.contains("leaks"), "{text}");
}

/// Records the Debug text of every request the client builds (signed, with the token and
/// the body as they would go on the wire) and answers with a connection failure.
struct DebugRecorder(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl tencent_api::transport::Transport for DebugRecorder {
    fn send(
        &self,
        req: tencent_api::transport::HttpRequest,
    ) -> std::pin::Pin<
        Box<
            dyn std::future::Future<
                    Output = Result<
                        tencent_api::transport::HttpResponse,
                        tencent_api::transport::TransportError,
                    >,
                > + Send,
        >,
    > {
        self.0.lock().unwrap().push(format!("{req:?} {req:#?}"));
        Box::pin(async {
            Err(tencent_api::transport::TransportError {
                kind: tencent_api::TransportKind::Connect,
                detail: "recorded, not sent".into(),
            })
        })
    }
}

#[tokio::test]
async fn a_signed_request_prints_no_token_signature_or_body() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let client = Client::builder(credentials())
        .endpoint(Endpoint::Custom("http://127.0.0.1:9".into()))
        .transport(std::sync::Arc::new(DebugRecorder(seen.clone())))
        .build()
        .unwrap();
    let req = cvm::ResetInstancesPasswordRequest {
        instance_ids: Some(vec!["ins-aaaaaaaa".into()]),
        password: Some(Sensitive::new(PASSWORD)),
        ..Default::default()
    };
    let _ = client.reset_instances_password("ap-guangzhou", &req).await;
    let seen = seen.lock().unwrap();
    assert!(!seen.is_empty(), "the client built a request");
    for text in seen.iter() {
        assert_clean("HttpRequest Debug", text);
        // The signature is derived from the key: the Authorization value stays out too.
        assert!(!text.contains("Signature="), "{text}");
    }
}
