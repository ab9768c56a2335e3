//! The API end to end: auth and tenant scoping, pagination, errors for malformed input, the
//! OpenAPI document, metrics, health, uploads.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use weerbaar_store::{NewToken, Scope, Store, TenantId};

use crate::harness::{App, app};

store_test!(
    auth_refuses_missing_bad_and_foreign_tokens,
    |store: Store| async move {
        let app = app(store).await;
        let none = app.get("/api/v1/tenants/alpha/assets", None).await;
        assert_eq!(none.status, StatusCode::UNAUTHORIZED);
        assert_eq!(none.code(), "unauthorized");
        assert!(none.headers.contains_key("www-authenticate"));

        let garbage = app
            .get("/api/v1/tenants/alpha/assets", Some("wbt_alpha_00_nope"))
            .await;
        assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
        let basic = app
            .send(
                Request::get("/api/v1/tenants/alpha/assets")
                    .header("authorization", "Basic dXNlcjpwdw==")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(basic.status, StatusCode::UNAUTHORIZED);

        // Another tenant's data: 404, exactly as for a tenant that does not exist.
        let foreign = app
            .get("/api/v1/tenants/alpha/assets", Some(&app.beta))
            .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);
        assert_eq!(foreign.code(), "not_found");
        let missing = app
            .get("/api/v1/tenants/nobody/assets", Some(&app.beta))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            foreign.body["error"]["message"]
                .as_str()
                .map(|m| m.replace("alpha", "X")),
            missing.body["error"]["message"]
                .as_str()
                .map(|m| m.replace("nobody", "X")),
            "the answers must not tell the two apart"
        );
        let own = app
            .get("/api/v1/tenants/beta/assets", Some(&app.beta))
            .await;
        assert_eq!(own.status, StatusCode::OK, "{}", own.text);
        // An admin reads every tenant.
        let admin = app
            .get("/api/v1/tenants/alpha/assets", Some(&app.admin))
            .await;
        assert_eq!(admin.status, StatusCode::OK);
        app.cleanup();
    }
);

store_test!(
    auth_refuses_wrong_scope_expired_and_revoked,
    |store: Store| async move {
        let app = app(store).await;
        // Ingest-only cannot read findings; read cannot push; non-admin cannot create tenants.
        let ingest = app
            .get("/api/v1/tenants/alpha/findings", Some(&app.alpha_ingest))
            .await;
        assert_eq!(ingest.status, StatusCode::FORBIDDEN);
        assert_eq!(ingest.code(), "forbidden");
        let push = app
            .post(
                "/api/v1/tenants/beta/uploads",
                &app.beta,
                "application/octet-stream",
                "x",
            )
            .await;
        assert_eq!(push.status, StatusCode::FORBIDDEN);
        let create = app
            .post(
                "/api/v1/tenants",
                &app.alpha,
                "application/json",
                r#"{"id":"gamma","name":"G"}"#,
            )
            .await;
        assert_eq!(create.status, StatusCode::FORBIDDEN);
        let world = app
            .get("/api/v1/exposure/CVE-2024-5535", Some(&app.alpha))
            .await;
        assert_eq!(world.status, StatusCode::FORBIDDEN);

        let alpha = TenantId::new("alpha").expect("id");
        let short = app
            .store
            .create_token(
                &alpha,
                "test",
                &NewToken {
                    name: "short".into(),
                    scopes: vec![Scope::Read],
                    expires_at: jiff::Timestamp::now().as_second() + 1,
                },
            )
            .await
            .expect("token");
        std::thread::sleep(std::time::Duration::from_millis(2100));
        let expired = app.get("/api/v1/tenants/alpha", Some(&short.token)).await;
        assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
        assert!(expired.text.contains("expired"), "{}", expired.text);

        let id = app.alpha.split('_').nth(2).expect("id").to_owned();
        assert_eq!(
            app.get("/api/v1/tenants/alpha", Some(&app.alpha))
                .await
                .status,
            StatusCode::OK
        );
        assert!(
            app.store
                .revoke_token(&alpha, "test", &id)
                .await
                .expect("revoke")
        );
        let revoked = app.get("/api/v1/tenants/alpha", Some(&app.alpha)).await;
        assert_eq!(revoked.status, StatusCode::UNAUTHORIZED);
        assert!(revoked.text.contains("revoked"), "{}", revoked.text);
        app.cleanup();
    }
);

store_test!(
    tenants_are_listed_per_token_and_created_by_admins,
    |store: Store| async move {
        let app = app(store).await;
        let own = app.get("/api/v1/tenants", Some(&app.beta)).await;
        assert_eq!(own.body["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(own.body["items"][0]["id"], "beta");
        let all = app.get("/api/v1/tenants?limit=2", Some(&app.admin)).await;
        assert_eq!(all.body["items"].as_array().map(Vec::len), Some(2));
        let cursor = all.body["next_cursor"].as_str().expect("more").to_owned();
        let rest = app
            .get(
                &format!("/api/v1/tenants?limit=2&cursor={cursor}"),
                Some(&app.admin),
            )
            .await;
        assert_eq!(rest.body["items"][0]["id"], "provider");

        let created = app
            .post(
                "/api/v1/tenants",
                &app.admin,
                "application/json",
                r#"{"id":"gamma","name":"Gamma"}"#,
            )
            .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
        assert_eq!(created.headers["location"], "/api/v1/tenants/gamma");
        let again = app
            .post(
                "/api/v1/tenants",
                &app.admin,
                "application/json",
                r#"{"id":"gamma","name":"Gamma"}"#,
            )
            .await;
        assert_eq!(again.status, StatusCode::CONFLICT);
        assert_eq!(again.code(), "conflict");
        let audit = app
            .store
            .audit_log(&TenantId::new("gamma").expect("id"))
            .await
            .expect("audit");
        assert!(
            audit[0].actor.starts_with("token:provider:"),
            "{:?}",
            audit[0]
        );
        app.cleanup();
    }
);

store_test!(lists_page_by_cursor, |store: Store| async move {
    let app = app(store).await;
    let mut names = Vec::new();
    let mut uri = "/api/v1/tenants/alpha/assets?limit=2".to_owned();
    loop {
        let page = app.get(&uri, Some(&app.alpha)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        for item in page.body["items"].as_array().expect("items") {
            names.push(item["name"].as_str().expect("name").to_owned());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/tenants/alpha/assets?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(names.len(), 5);
    let asset = app
        .get(
            "/api/v1/tenants/alpha/assets/ALPHA-HOST1?limit=2",
            Some(&app.alpha),
        )
        .await;
    assert_eq!(asset.status, StatusCode::OK, "{}", asset.text);
    assert_eq!(asset.body["asset"]["components"], 3);
    assert_eq!(
        asset.body["components"]["items"].as_array().map(Vec::len),
        Some(2)
    );
    assert!(asset.body["components"]["next_cursor"].is_string());
    let nope = app
        .get("/api/v1/tenants/alpha/assets/nope", Some(&app.alpha))
        .await;
    assert_eq!(nope.status, StatusCode::NOT_FOUND);

    let findings = app
        .get(
            "/api/v1/tenants/alpha/findings?kev=true&severity=low&limit=1",
            Some(&app.alpha),
        )
        .await;
    assert_eq!(findings.status, StatusCode::OK, "{}", findings.text);
    assert_eq!(
        findings.body["items"].as_array().map(Vec::len),
        Some(0),
        "no CVSS: below low"
    );
    let findings = app
        .get(
            "/api/v1/tenants/alpha/findings?kev=true&asset=alpha-host2",
            Some(&app.alpha),
        )
        .await;
    assert_eq!(findings.body["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(findings.body["items"][0]["package"], "openssl");
    let resolved = app
        .get(
            "/api/v1/tenants/alpha/findings?status=resolved",
            Some(&app.alpha),
        )
        .await;
    assert_eq!(resolved.body["items"].as_array().map(Vec::len), Some(0));
    app.cleanup();
});

store_test!(
    malformed_input_is_a_4xx_with_a_code,
    |store: Store| async move {
        let app = app(store).await;
        let t = Some(app.alpha.as_str());
        for (uri, code) in [
            ("/api/v1/tenants/alpha/assets?limit=0", "invalid_parameter"),
            (
                "/api/v1/tenants/alpha/assets?limit=1001",
                "invalid_parameter",
            ),
            (
                "/api/v1/tenants/alpha/assets?limit=abc",
                "invalid_parameter",
            ),
            ("/api/v1/tenants/alpha/assets?limit=-1", "invalid_parameter"),
            (
                "/api/v1/tenants/alpha/assets?cursor=zz",
                "invalid_parameter",
            ),
            (
                "/api/v1/tenants/alpha/findings?status=bogus",
                "invalid_parameter",
            ),
            (
                "/api/v1/tenants/alpha/findings?severity=huge",
                "invalid_parameter",
            ),
            (
                "/api/v1/tenants/alpha/findings?kev=maybe",
                "invalid_parameter",
            ),
            (
                "/api/v1/tenants/alpha/plan?today=yesterday",
                "invalid_parameter",
            ),
            ("/api/v1/tenants/Not%20A%20Slug/assets", "invalid_parameter"),
            ("/api/v1/nothing/here", "not_found"),
        ] {
            let reply = app.get(uri, t).await;
            assert!(reply.status.is_client_error(), "{uri}: {}", reply.status);
            assert_eq!(reply.code(), code, "{uri}");
        }
        let delete = app
            .send(
                Request::delete("/api/v1/tenants")
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(delete.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(delete.code(), "method_not_allowed");

        let admin = app.admin.clone();
        for (body, content_type, status, code) in [
            (
                "{",
                "application/json",
                StatusCode::BAD_REQUEST,
                "invalid_json",
            ),
            (
                r#"{"id": 5, "name": "x"}"#,
                "application/json",
                StatusCode::BAD_REQUEST,
                "invalid_json",
            ),
            (
                r#"{"id": "x"}"#,
                "application/json",
                StatusCode::BAD_REQUEST,
                "invalid_json",
            ),
            (
                r#"{"id": "Bad Id", "name": "x"}"#,
                "application/json",
                StatusCode::BAD_REQUEST,
                "invalid_parameter",
            ),
            (
                r#"{"id":"x","name":"y"}"#,
                "text/plain",
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            ),
        ] {
            let reply = app
                .post("/api/v1/tenants", &admin, content_type, body)
                .await;
            assert_eq!(reply.status, status, "{body}: {}", reply.text);
            assert_eq!(reply.code(), code, "{body}");
        }
        let exception = app
            .post(
                "/api/v1/tenants/alpha/exceptions",
                &admin,
                "application/json",
                r#"{"scope":1}"#,
            )
            .await;
        assert_eq!(exception.status, StatusCode::BAD_REQUEST);
        assert_eq!(exception.code(), "invalid_json");

        // Uploads over the limit (1,000 bytes here): 413, whether declared or streamed.
        let big = vec![b'x'; 1001];
        let reply = app
            .post(
                "/api/v1/tenants/alpha/uploads",
                &app.alpha,
                "application/octet-stream",
                big,
            )
            .await;
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(reply.code(), "payload_too_large");
        let empty = app
            .post(
                "/api/v1/tenants/alpha/uploads",
                &app.alpha,
                "application/octet-stream",
                "",
            )
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        app.cleanup();
    }
);

store_test!(uploads_are_queued_and_followed, |store: Store| async move {
    let app = app(store).await;
    let send = |key: &'static str| {
        Request::post(
            "/api/v1/tenants/alpha/uploads?filename=status&asset=web01&format=dpkg-status",
        )
        .header("authorization", format!("Bearer {}", app.alpha_ingest))
        .header("idempotency-key", key)
        .body(Body::from("Package: bash\n"))
        .expect("request")
    };
    let first = app.send(send("k1")).await;
    assert_eq!(first.status, StatusCode::ACCEPTED, "{}", first.text);
    let location = first.headers["location"].to_str().expect("text").to_owned();
    assert_eq!(location, "/api/v1/tenants/alpha/uploads/u1");
    let again = app.send(send("k1")).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.headers["location"], location.as_str());
    let status = app.get(&location, Some(&app.alpha_ingest)).await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(status.body["asset_name"], "web01");
    let foreign = app
        .get("/api/v1/tenants/alpha/uploads/u1", Some(&app.beta))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let metrics = app.get("/metrics", None).await;
    assert!(
        metrics
            .text
            .contains("weerbaar_uploads_total{replayed=\"false\"} 1"),
        "{}",
        metrics.text
    );
    assert!(
        metrics
            .text
            .contains("weerbaar_uploads_total{replayed=\"true\"} 1")
    );
    app.cleanup();
});

store_test!(
    plan_exposure_and_exceptions_match_the_cli,
    |store: Store| async move {
        let app = app(store).await;
        let plan = app
            .get(
                "/api/v1/tenants/alpha/plan?today=2024-08-01",
                Some(&app.alpha),
            )
            .await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.text);
        let alpha = TenantId::new("alpha").expect("id");
        let expected = weerbaar_tracking::judge::tenant_plan(
            &app.store,
            &alpha,
            &weerbaar_plan::Policy::default(),
            "2024-08-01".parse().expect("date"),
        )
        .await
        .expect("plan");
        assert_eq!(plan.body, serde_json::to_value(&expected).expect("json"));
        assert_eq!(
            plan.body["actions"].as_array().map(Vec::len),
            Some(1),
            "one fix: openssl"
        );

        let mine = app
            .get(
                "/api/v1/tenants/alpha/exposure/dsa-5764-1",
                Some(&app.alpha),
            )
            .await;
        assert_eq!(mine.status, StatusCode::OK, "{}", mine.text);
        let mine = mine.body.as_array().expect("list").clone();
        assert_eq!(mine.len(), 5);
        assert!(mine.iter().all(|e| e["tenant"] == "alpha"));
        let all = app
            .get("/api/v1/exposure/CVE-2024-5535", Some(&app.admin))
            .await;
        assert_eq!(
            all.body.as_array().map(Vec::len),
            Some(7),
            "5 alpha + 2 beta hosts"
        );

        let exception = serde_json::json!({
            "scope": {"advisory": "CVE-2024-5535"},
            "kind": "false_positive",
            "author": "alice",
            "reason": "not built with the vulnerable feature",
            "date": "2024-07-15",
        });
        let added = app
            .post(
                "/api/v1/tenants/alpha/exceptions",
                &app.admin,
                "application/json",
                exception.to_string(),
            )
            .await;
        assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
        let id = added.body["id"].as_str().expect("id").to_owned();
        let listed = app
            .get("/api/v1/tenants/alpha/exceptions", Some(&app.alpha))
            .await;
        assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
        let plan = app
            .get(
                "/api/v1/tenants/alpha/plan?today=2024-08-01",
                Some(&app.alpha),
            )
            .await;
        assert_eq!(
            plan.body["actions"].as_array().map(Vec::len),
            Some(0),
            "set aside"
        );
        let revoke = app
            .send(
                Request::delete(format!("/api/v1/tenants/alpha/exceptions/{id}"))
                    .header("authorization", format!("Bearer {}", app.admin))
                    .body(Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(revoke.status, StatusCode::NO_CONTENT);
        let plan = app
            .get(
                "/api/v1/tenants/alpha/plan?today=2024-08-01",
                Some(&app.alpha),
            )
            .await;
        assert_eq!(
            plan.body["actions"].as_array().map(Vec::len),
            Some(1),
            "back"
        );

        let feeds = app.get("/api/v1/feeds", Some(&app.alpha_ingest)).await;
        assert_eq!(feeds.status, StatusCode::OK, "{}", feeds.text);
        assert!(
            feeds
                .body
                .as_array()
                .is_some_and(|f| f.iter().all(|s| s["state"] == "missing"))
        );
        app.cleanup();
    }
);

store_test!(
    openapi_document_covers_every_route,
    |store: Store| async move {
        let app: App = app(store).await;
        let doc = app.get("/api/v1/openapi.json", None).await;
        assert_eq!(doc.status, StatusCode::OK);
        assert_eq!(doc.body["openapi"], "3.1.0");
        assert_eq!(
            doc.body["components"]["securitySchemes"]["bearer"]["scheme"],
            "bearer"
        );
        assert!(doc.body["components"]["schemas"]["ErrorBody"].is_object());
        let paths = doc.body["paths"].as_object().expect("paths");
        // Every documented operation is routed (the fallback would answer 404 "no such route" or
        // 405), and every list takes the pagination parameters.
        let mut operations = 0;
        for (path, item) in paths {
            for (method, op) in item.as_object().expect("item") {
                operations += 1;
                let uri = path
                    .replace("{tenant}", "alpha")
                    .replace("{asset}", "alpha-host0")
                    .replace("{id}", "CVE-2024-5535");
                let request = Request::builder()
                    .method(method.to_uppercase().as_str())
                    .uri(&uri)
                    .header("authorization", format!("Bearer {}", app.admin))
                    .body(Body::empty())
                    .expect("request");
                let reply = app.send(request).await;
                assert_ne!(
                    reply.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}"
                );
                assert!(
                    !reply.text.contains("no such route"),
                    "{method} {path} is documented but not routed"
                );
                assert!(
                    reply.status.as_u16() < 500,
                    "{method} {path}: {}",
                    reply.text
                );
                if path.starts_with("/api/v1/") && path != "/api/v1/openapi.json" {
                    assert!(
                        op["security"].is_array(),
                        "{method} {path} without security"
                    );
                }
            }
            if [
                "/api/v1/tenants",
                "/api/v1/tenants/{tenant}/assets",
                "/api/v1/tenants/{tenant}/findings",
            ]
            .contains(&path.as_str())
            {
                let params = item["get"]["parameters"].as_array().expect("params");
                for name in ["limit", "cursor"] {
                    assert!(
                        params.iter().any(|p| p["name"] == name),
                        "{path} lacks {name}"
                    );
                }
            }
        }
        // The router's routes, by construction the same list (utoipa-axum), counted here so a
        // route added without its document entry fails this test.
        assert_eq!(operations, 21, "{:?}", paths.keys().collect::<Vec<_>>());
        app.cleanup();
    }
);

store_test!(health_readiness_and_metrics, |store: Store| async move {
    let app = app(store).await;
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    let ready = app.get("/readyz", None).await;
    assert_eq!(ready.status, StatusCode::OK, "{}", ready.text);
    app.get("/api/v1/tenants/alpha/assets", Some(&app.alpha))
        .await;
    app.get("/api/v1/tenants/alpha/assets", None).await;
    let metrics = app.get("/metrics", None).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(
        metrics.headers["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/plain")
    );
    for line in [
        "weerbaar_http_requests_total{method=\"GET\",route=\"/api/v1/tenants/{tenant}/assets\",status=\"200\"} 1",
        "weerbaar_http_requests_total{method=\"GET\",route=\"/api/v1/tenants/{tenant}/assets\",status=\"401\"} 1",
        "# TYPE weerbaar_http_request_duration_seconds histogram",
    ] {
        assert!(metrics.text.contains(line), "{line} in\n{}", metrics.text);
    }
    assert!(
        !metrics.text.contains("alpha"),
        "raw paths stay out of the labels"
    );
    // Readiness follows the database.
    app.state.store.clone().close().await;
    let down = app.get("/readyz", None).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(down.code(), "unavailable");
    app.cleanup();
});
