//! `weerbaar serve`, `admin`, `push` and `config check`.

use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use weerbaar_server::{AppState, Background, Config, StoreUploads};
use weerbaar_store::{NewToken, Scope, Store, TenantId};

use super::Status;
use crate::cli::StorageArgs;
use crate::cli_server::{
    AdminCommand, AdminTenantCommand, AdminTokenCommand, ConfigCheckArgs, ConfigCommand, PushArgs,
    ServeArgs,
};
use crate::output::{Format, csv_record, local_time, rfc3339, table};
use crate::storage;

fn env(var: &str) -> Option<String> {
    std::env::var(var).ok()
}

/// The configuration of `serve`: file, environment, then the command line.
fn serve_config(storage_args: &StorageArgs, args: &ServeArgs) -> anyhow::Result<Config> {
    let mut config = Config::load(args.config.as_deref(), env)?;
    if let Some(bind) = &args.bind {
        config.bind.clone_from(bind);
    }
    if let Some(url) = &storage_args.database {
        config.database = Some(url.clone());
    }
    if let Some(dir) = &storage_args.data_dir {
        config.data_dir.clone_from(dir);
    } else if env("WEERBAAR_DATA_DIR").is_none() && args.config.is_none() {
        config.data_dir = storage::data_dir(storage_args);
    }
    config.validate()?;
    Ok(config)
}

/// Opens the database the configuration names.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    match &config.database {
        Some(url) => Store::open(url)
            .await
            .with_context(|| format!("opening database {}", weerbaar_store::backend::redact(url))),
        None => Store::open_data_dir(&config.data_dir)
            .await
            .with_context(|| format!("opening the database in {}", config.data_dir.display())),
    }
}

pub fn serve(storage_args: &StorageArgs, args: &ServeArgs) -> anyhow::Result<Status> {
    let config = serve_config(storage_args, args)?;
    weerbaar_server::init_tracing(&config.log).map_err(anyhow::Error::msg)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let store = open_store(&config).await?;
        let max_bytes = config.uploads.max_bytes;
        let lease = Duration::from_secs(config.uploads.lease_seconds);
        // Built before serving, so a bad `[jobs]` setting stops the start, not a run hours later.
        let scheduler = weerbaar_jobs::tasks::scheduler(
            store.clone(),
            &weerbaar_jobs::instance_id(),
            &jobs_config(&config)?,
            &config.data_dir,
        )?;
        let state = AppState::new(config, store.clone(), Arc::new(StoreUploads(store)))?;
        weerbaar_server::run(
            state,
            weerbaar_server::shutdown_signal(),
            vec![ingest_worker(max_bytes, lease), jobs(scheduler)],
        )
        .await?;
        Ok(Status::Success)
    })
}

/// The `[jobs]` table of the configuration as the jobs read it.
fn jobs_config(config: &Config) -> anyhow::Result<weerbaar_jobs::JobsConfig> {
    toml::Value::Table(config.jobs.clone())
        .try_into()
        .context("invalid [jobs] configuration")
}

/// The scheduled jobs (feed sync, rematch of pushed assets, retention); each slot runs on one
/// instance only, and a surviving instance takes over the slot of one that died.
fn jobs(scheduler: weerbaar_jobs::Scheduler) -> Background {
    Box::new(
        move |_state: AppState, mut shutdown: weerbaar_server::Shutdown| {
            Box::pin(async move {
                scheduler
                    .run(async move { shutdown.requested().await })
                    .await
            })
        },
    )
}

/// The upload worker of this instance (every instance runs one; claims are leased).
fn ingest_worker(max_bytes: u64, lease: Duration) -> Background {
    Box::new(
        move |state: AppState, mut shutdown: weerbaar_server::Shutdown| {
            Box::pin(async move {
                let worker = weerbaar_ingest::Worker::new(
                    state.store.clone(),
                    weerbaar_ingest::default_worker_id(),
                )
                .with_max_bytes(max_bytes)
                .with_lease(lease);
                let counters = worker.metrics();
                state
                    .metrics
                    .add_collector(Box::new(move |out: &mut String| {
                        use std::sync::atomic::Ordering::Relaxed;
                        let c = &counters;
                        for (name, help, value) in [
                            (
                                "weerbaar_ingest_processed_total",
                                "Uploads stored.",
                                c.processed.load(Relaxed),
                            ),
                            (
                                "weerbaar_ingest_failed_total",
                                "Uploads failed for good.",
                                c.failed.load(Relaxed),
                            ),
                            (
                                "weerbaar_ingest_retried_total",
                                "Uploads left for a retry.",
                                c.retried.load(Relaxed),
                            ),
                            (
                                "weerbaar_ingest_components_total",
                                "Components stored by uploads.",
                                c.components.load(Relaxed),
                            ),
                            (
                                "weerbaar_ingest_errors_total",
                                "Failures to reach the upload queue.",
                                c.errors.load(Relaxed),
                            ),
                        ] {
                            out.push_str(&format!(
                                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n"
                            ));
                        }
                    }));
                worker
                    .run(shutdown.requested(), |outcome| {
                        if let Err(e) = outcome {
                            tracing::warn!(error = %e, "ingest worker");
                        }
                    })
                    .await;
            })
        },
    )
}

pub fn config(cmd: ConfigCommand) -> anyhow::Result<Status> {
    let ConfigCommand::Check(ConfigCheckArgs { config }) = cmd;
    match Config::load(config.as_deref(), env) {
        Ok(config) => match jobs_config(&config) {
            Ok(_) => {
                print!("{}", config.redacted_toml());
                Ok(Status::Success)
            }
            Err(e) => {
                eprintln!("error: invalid configuration: {e:#}");
                Ok(Status::Usage)
            }
        },
        Err(e) => {
            eprintln!("error: invalid configuration: {e}");
            Ok(Status::Usage)
        }
    }
}

fn parse_scopes(scopes: &[String]) -> anyhow::Result<Vec<Scope>> {
    scopes
        .iter()
        .flat_map(|s| s.split(','))
        .map(|s| s.parse::<Scope>().map_err(anyhow::Error::from))
        .collect()
}

pub async fn admin(storage_args: &StorageArgs, cmd: AdminCommand) -> anyhow::Result<Status> {
    let store = storage::open(storage_args).await?;
    let actor = storage::actor();
    let mut out = io::stdout().lock();
    let status = match cmd {
        AdminCommand::Tenant(AdminTenantCommand::Create(args)) => {
            let id = TenantId::new(&args.id)?;
            let name = args.name.unwrap_or_else(|| args.id.clone());
            let tenant = store.add_tenant(&id, &name, &actor).await?;
            writeln!(out, "created tenant {} ({})", tenant.id, tenant.name)?;
            Status::Success
        }
        AdminCommand::Tenant(AdminTenantCommand::List(args)) => {
            let tenants = store.tenants().await?;
            match args.format {
                Format::Json => {
                    serde_json::to_writer_pretty(&mut out, &tenants)?;
                    writeln!(out)?;
                }
                Format::Csv => {
                    csv_record(&mut out, &["id", "name", "created_at"])?;
                    for t in &tenants {
                        csv_record(&mut out, &[t.id.as_str(), &t.name, &rfc3339(t.created_at)])?;
                    }
                }
                Format::Table => {
                    let rows: Vec<Vec<String>> = tenants
                        .iter()
                        .map(|t| vec![t.id.to_string(), t.name.clone(), local_time(t.created_at)])
                        .collect();
                    table(&mut out, &["TENANT", "NAME", "CREATED"], &rows)?;
                }
            }
            Status::Success
        }
        AdminCommand::Token(AdminTokenCommand::Create(args)) => {
            let limits = Config::load(args.config.as_deref(), env)?.tokens;
            let days = args.days.unwrap_or(limits.default_days);
            if days == 0 || days > limits.max_days {
                eprintln!(
                    "error: --days must be between 1 and {} (tokens.max_days)",
                    limits.max_days
                );
                return Ok(Status::Usage);
            }
            let tenant = TenantId::new(&args.tenant)?;
            let scopes = parse_scopes(&args.scopes)?;
            let expires_at = jiff::Timestamp::now().as_second() + i64::from(days) * 86_400;
            let created = store
                .create_token(
                    &tenant,
                    &actor,
                    &NewToken {
                        name: args.name.clone(),
                        scopes,
                        expires_at,
                    },
                )
                .await?;
            match args.format {
                Format::Json => {
                    let value = serde_json::json!({
                        "token": created.token,
                        "id": created.info.id,
                        "tenant": created.info.tenant,
                        "name": created.info.name,
                        "scopes": created.info.scopes,
                        "expires_at": rfc3339(created.info.expires_at),
                    });
                    serde_json::to_writer_pretty(&mut out, &value)?;
                    writeln!(out)?;
                }
                Format::Table | Format::Csv => writeln!(out, "{}", created.token)?,
            }
            eprintln!(
                "token {} for {} ({}) expires {}; it is shown only this once",
                created.info.id,
                created.info.tenant,
                created
                    .info
                    .scopes
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                local_time(created.info.expires_at)
            );
            Status::Success
        }
        AdminCommand::Token(AdminTokenCommand::List(args)) => {
            let tenant = TenantId::new(&args.tenant)?;
            let tokens = store.tokens(&tenant, &actor).await?;
            let now = jiff::Timestamp::now().as_second();
            let state = |t: &weerbaar_store::TokenInfo| {
                if t.revoked_at.is_some() {
                    "revoked"
                } else if t.expires_at <= now {
                    "expired"
                } else {
                    "active"
                }
            };
            match args.format {
                Format::Json => {
                    let list: Vec<_> = tokens
                        .iter()
                        .map(|t| {
                            serde_json::json!({
                                "id": t.id, "tenant": t.tenant, "name": t.name,
                                "scopes": t.scopes, "state": state(t),
                                "created_at": rfc3339(t.created_at),
                                "expires_at": rfc3339(t.expires_at),
                                "revoked_at": t.revoked_at.map(rfc3339),
                                "last_used_at": t.last_used_at.map(rfc3339),
                                "created_by": t.created_by,
                            })
                        })
                        .collect();
                    serde_json::to_writer_pretty(&mut out, &list)?;
                    writeln!(out)?;
                }
                Format::Csv | Format::Table => {
                    let rows: Vec<Vec<String>> = tokens
                        .iter()
                        .map(|t| {
                            vec![
                                t.id.clone(),
                                t.name.clone(),
                                t.scopes
                                    .iter()
                                    .map(|s| s.as_str())
                                    .collect::<Vec<_>>()
                                    .join(","),
                                state(t).to_owned(),
                                local_time(t.expires_at),
                                t.last_used_at.map(local_time).unwrap_or_default(),
                            ]
                        })
                        .collect();
                    table(
                        &mut out,
                        &["ID", "NAME", "SCOPES", "STATE", "EXPIRES", "LAST USED"],
                        &rows,
                    )?;
                }
            }
            Status::Success
        }
        AdminCommand::Token(AdminTokenCommand::Revoke(args)) => {
            let tenant = TenantId::new(&args.tenant)?;
            if store.revoke_token(&tenant, &actor, &args.id).await? {
                writeln!(out, "revoked token {} of {tenant}", args.id)?;
                Status::Success
            } else {
                eprintln!("error: {tenant} has no token {} in force", args.id);
                Status::Failure
            }
        }
    };
    store.close().await;
    Ok(status)
}

fn read_token(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the token file {}", path.display()))?;
    let token = text.trim();
    if !token.starts_with(weerbaar_store::TOKEN_PREFIX) {
        bail!(
            "{} does not hold a weerbaar token (wbt_…); create one with `weerbaar admin token create`",
            path.display()
        );
    }
    Ok(token.to_owned())
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The server's message out of an API error body, or the body itself.
fn api_message(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            let code = v["error"]["code"].as_str()?.to_owned();
            let message = v["error"]["message"].as_str()?.to_owned();
            Some(format!("{message} ({code})"))
        })
        .unwrap_or_else(|| body.chars().take(500).collect())
}

fn read_body(response: &mut ureq::http::Response<ureq::Body>) -> String {
    response
        .body_mut()
        .with_config()
        .limit(10 * 1024 * 1024)
        .read_to_string()
        .unwrap_or_default()
}

pub fn push(args: &PushArgs) -> anyhow::Result<Status> {
    let token = read_token(&args.token_file)?;
    let mut body = Vec::new();
    std::fs::File::open(&args.file)
        .and_then(|mut f| f.read_to_end(&mut body))
        .with_context(|| format!("reading {}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map_or_else(|| "upload".to_owned(), |n| n.to_string_lossy().into_owned());
    let key = match &args.idempotency_key {
        Some(k) => k.clone(),
        None => {
            use sha2::Digest;
            let mut hash = sha2::Sha256::new();
            hash.update(file_name.as_bytes());
            hash.update([0]);
            hash.update(&body);
            hash.finalize()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        }
    };
    let base = args.server.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        bail!("--server must be an http:// or https:// URL");
    }
    let tenant = token
        .strip_prefix(weerbaar_store::TOKEN_PREFIX)
        .and_then(|rest| rest.split('_').next())
        .unwrap_or_default()
        .to_owned();
    let mut url = format!(
        "{base}/api/v1/tenants/{tenant}/uploads?filename={}",
        percent_encode(&file_name)
    );
    if let Some(format) = &args.input_format {
        url.push_str(&format!("&format={}", percent_encode(format)));
    }
    if let Some(asset) = &args.asset {
        url.push_str(&format!("&asset={}", percent_encode(asset)));
    }
    let agents = weerbaar_http::Agents::new(&weerbaar_http::AgentOptions {
        proxy: weerbaar_http::ProxyChoice::Env,
        no_proxy: None,
        timeout: Duration::from_secs(120),
        follow_redirects: false,
    })
    .map_err(|e| anyhow::anyhow!("proxy {}: {}", e.proxy, e.reason))?;
    let shown = weerbaar_http::redact_url(base);
    let mut response = agents
        .for_url(&url)
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Idempotency-Key", &key)
        .header("Content-Type", "application/octet-stream")
        .send(&body[..])
        .with_context(|| format!("pushing to {shown}"))?;
    let status = response.status().as_u16();
    let text = read_body(&mut response);
    if !(200..300).contains(&status) {
        eprintln!(
            "error: {shown} refused {}: HTTP {status}: {}",
            args.file.display(),
            api_message(&text)
        );
        return Ok(Status::Failure);
    }
    let upload: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let id = upload["id"].as_str().unwrap_or("?").to_owned();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .unwrap_or_else(|| format!("/api/v1/tenants/{tenant}/uploads/{id}"));
    println!(
        "queued {} as upload {id}{}",
        args.file.display(),
        if status == 200 {
            " (pushed before with this content)"
        } else {
            ""
        }
    );
    if !args.wait {
        return Ok(Status::Success);
    }
    let status_url = format!("{base}{location}");
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    loop {
        let mut response = agents
            .for_url(&status_url)
            .get(&status_url)
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .with_context(|| format!("asking {shown} for upload {id}"))?;
        let code = response.status().as_u16();
        let text = read_body(&mut response);
        if code != 200 {
            eprintln!("error: upload {id}: HTTP {code}: {}", api_message(&text));
            return Ok(Status::Failure);
        }
        let upload: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        match upload["status"].as_str() {
            Some("done") => {
                println!("imported upload {id}");
                if let Some(summary) = upload["summary"].as_array() {
                    for s in summary {
                        println!(
                            "  {}: {} components ({} added, {} removed)",
                            s["asset"].as_str().unwrap_or("?"),
                            s["components"],
                            s["added"],
                            s["removed"]
                        );
                    }
                }
                return Ok(Status::Success);
            }
            Some("failed") => {
                eprintln!(
                    "error: upload {id} failed: {}",
                    upload["error"].as_str().unwrap_or("no reason given")
                );
                return Ok(Status::Failure);
            }
            _ if Instant::now() >= deadline => {
                eprintln!(
                    "error: upload {id} is still {} after {} s; check later at {status_url}",
                    upload["status"].as_str().unwrap_or("pending"),
                    args.timeout
                );
                return Ok(Status::Failure);
            }
            _ => std::thread::sleep(Duration::from_millis(500)),
        }
    }
}
