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
    }
}

diesel::joinable!(contacts -> persons (person_id));
diesel::joinable!(sessions -> persons (person_id));
diesel::allow_tables_to_appear_in_same_query!(persons, contacts, sessions);
