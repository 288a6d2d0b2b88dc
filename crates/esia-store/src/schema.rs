//! The one portable diesel schema shared by SQLite and PostgreSQL. Hand-written (not printed by
//! the diesel CLI) because the two backends would print different types for the same column;
//! only types with one meaning on both backends are used here.

diesel::table! {
    persons (id) {
        id -> Text,
        oid -> BigInt,
        surname -> Text,
        name -> Text,
        patronymic -> Nullable<Text>,
        level -> Text,
        status -> Text,
        blocked -> Bool,
        password_hash -> Nullable<Text>,
        snils -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        gender -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        birth_place -> Nullable<Text>,
        citizenship -> Nullable<Text>,
        inn -> Nullable<Text>,
        verification -> Text,
        verification_note -> Nullable<Text>,
        etag_version -> BigInt,
    }
}

diesel::table! {
    contacts (id) {
        id -> Text,
        esia_id -> BigInt,
        person_id -> Text,
        kind -> Text,
        value -> Text,
        verified -> Bool,
        verifying_value -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    registrations (id) {
        id -> Text,
        surname -> Text,
        name -> Text,
        patronymic -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        phone_confirmed -> Bool,
        email_confirmed -> Bool,
        completed_person_id -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    confirmation_codes (id) {
        id -> Text,
        purpose -> Text,
        subject_id -> Text,
        target -> Text,
        code -> Text,
        attempts_left -> Integer,
        sent_at -> Timestamp,
        expires_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
        consumed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    email_links (token) {
        token -> Text,
        purpose -> Text,
        subject_id -> Text,
        email -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        person_id -> Text,
        sid -> Text,
        auth_method -> Text,
        auth_time -> Timestamp,
        persistent -> Bool,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_throttle (login_key) {
        login_key -> Text,
        failures -> Integer,
        window_started_at -> Timestamp,
        blocked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        recipient -> Text,
        subject -> Nullable<Text>,
        body -> Text,
        code -> Nullable<Text>,
        link -> Nullable<Text>,
        person_id -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
        delivery_error -> Nullable<Text>,
    }
}

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        request_id -> Nullable<Text>,
    }
}

diesel::joinable!(contacts -> persons (person_id));
diesel::joinable!(sessions -> persons (person_id));
diesel::allow_tables_to_appear_in_same_query!(persons, contacts, sessions);

// The person model (migration 000003): documents, addresses, kids, vehicles, organisations.

diesel::table! {
    kids (id) {
        id -> Text,
        esia_id -> BigInt,
        person_id -> Text,
        surname -> Text,
        name -> Text,
        patronymic -> Nullable<Text>,
        birth_date -> Nullable<Date>,
        gender -> Nullable<Text>,
        snils -> Nullable<Text>,
        inn -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    documents (id) {
        id -> Text,
        esia_id -> BigInt,
        person_id -> Text,
        kid_id -> Nullable<Text>,
        doc_type -> Text,
        series -> Nullable<Text>,
        number -> Nullable<Text>,
        issue_date -> Nullable<Date>,
        issue_id -> Nullable<Text>,
        issued_by -> Nullable<Text>,
        expiry_date -> Nullable<Date>,
        act_no -> Nullable<Text>,
        act_date -> Nullable<Date>,
        first_name -> Nullable<Text>,
        last_name -> Nullable<Text>,
        vrf_stu -> Text,
        vrf_val_stu -> Nullable<Text>,
        fms_valid -> Nullable<Bool>,
        fms_state -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    addresses (id) {
        id -> Text,
        esia_id -> BigInt,
        person_id -> Text,
        addr_type -> Text,
        address_str -> Text,
        fias_code -> Nullable<Text>,
        country_id -> Text,
        zip_code -> Nullable<Text>,
        region -> Nullable<Text>,
        district -> Nullable<Text>,
        area -> Nullable<Text>,
        city -> Nullable<Text>,
        settlement -> Nullable<Text>,
        street -> Nullable<Text>,
        house -> Nullable<Text>,
        building -> Nullable<Text>,
        frame -> Nullable<Text>,
        flat -> Nullable<Text>,
        addition_area -> Nullable<Text>,
        addition_area_street -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    vehicles (id) {
        id -> Text,
        esia_id -> BigInt,
        person_id -> Text,
        name -> Nullable<Text>,
        number_plate -> Text,
        reg_cert_series -> Nullable<Text>,
        reg_cert_number -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    organizations (id) {
        id -> Text,
        oid -> BigInt,
        full_name -> Text,
        short_name -> Text,
        ogrn -> Text,
        inn -> Text,
        kpp -> Nullable<Text>,
        org_type -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    org_roles (id) {
        id -> Text,
        org_id -> Text,
        person_id -> Text,
        chief -> Bool,
        admin -> Bool,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::joinable!(org_roles -> organizations (org_id));
diesel::allow_tables_to_appear_in_same_query!(organizations, org_roles, persons, documents, kids);

// --- Protocol (migration 2026-11-25-000002_protocol) ---

diesel::table! {
    client_systems (mnemonic) {
        mnemonic -> Text,
        name -> Text,
        redirect_uris -> Text,
        scopes -> Text,
        token_alg -> Text,
        mode -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    client_certificates (id) {
        id -> Text,
        mnemonic -> Text,
        pem -> Text,
        hash_hex -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ac_requests (id) {
        id -> Text,
        mnemonic -> Text,
        generation -> Text,
        redirect_uri -> Text,
        scope -> Text,
        state -> Text,
        access_type -> Text,
        code_challenge -> Nullable<Text>,
        code_challenge_method -> Nullable<Text>,
        person_filter -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        scope_org -> Nullable<Text>,
        role -> Nullable<Text>,
    }
}

diesel::table! {
    auth_codes (code) {
        code -> Text,
        mnemonic -> Text,
        person_id -> Text,
        sid -> Text,
        auth_time -> Timestamp,
        auth_method -> Text,
        redirect_uri -> Text,
        scope -> Text,
        access_type -> Text,
        code_challenge -> Nullable<Text>,
        code_challenge_method -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        ac_state -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (token) {
        token -> Text,
        mnemonic -> Text,
        person_id -> Text,
        sid -> Text,
        auth_time -> Timestamp,
        auth_method -> Text,
        scope -> Text,
        origin_code -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    consents (person_id, mnemonic, scope) {
        person_id -> Text,
        mnemonic -> Text,
        scope -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    journal (id) {
        id -> Text,
        created_at -> Timestamp,
        endpoint -> Text,
        mnemonic -> Nullable<Text>,
        params -> Text,
        outcome -> Text,
        error_code -> Nullable<Text>,
        verification -> Nullable<Text>,
        persona_oid -> Nullable<BigInt>,
        http_status -> Nullable<Integer>,
        response -> Nullable<Text>,
    }
}

diesel::joinable!(client_certificates -> client_systems (mnemonic));

// Access-token revocations (migration 000006).
diesel::table! {
    token_revocations (id) {
        id -> Text,
        client_id -> Text,
        sid -> Text,
        revoked_at -> Timestamp,
    }
}

// Account upgrade and identity confirmation (migration 000004).

diesel::table! {
    verification_checks (id) {
        id -> Text,
        request_id -> Text,
        person_id -> Text,
        kind -> Text,
        status -> Text,
        reason -> Nullable<Text>,
        job_id -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    verification_rules (id) {
        id -> Text,
        field -> Text,
        pattern -> Text,
        outcome -> Text,
        delay_secs -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    registry_people (id) {
        id -> Text,
        surname -> Text,
        name -> Text,
        patronymic -> Nullable<Text>,
        gender -> Text,
        birth_date -> Date,
        snils -> Nullable<Text>,
        passport -> Nullable<Text>,
        passport_valid -> Bool,
        inn -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    post_letters (id) {
        id -> Text,
        person_id -> Text,
        status -> Text,
        code -> Nullable<Text>,
        attempts_left -> Integer,
        expires_at -> Nullable<Timestamp>,
        ordered_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    identity_confirmations (id) {
        id -> Text,
        person_id -> Text,
        method -> Text,
        detail -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

// The QA control plane: fault rules, settings (clock), per-client controls (migration 000007).
diesel::table! {
    fault_rules (id) {
        id -> Text,
        endpoint -> Nullable<Text>,
        client_id -> Nullable<Text>,
        persona_oid -> Nullable<BigInt>,
        remaining -> Nullable<BigInt>,
        fired -> BigInt,
        effect -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    control_settings (name) {
        name -> Text,
        value -> Text,
        stamp -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    client_controls (mnemonic) {
        mnemonic -> Text,
        zero_click -> Bool,
        next_login -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

// The /rs freshness check reads the person and its token revocation in one query.
diesel::allow_tables_to_appear_in_same_query!(persons, token_revocations);
