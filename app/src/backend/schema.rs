//! Diesel table definitions, kept in step with `migrations/` by hand (and checked by the
//! migration tests, which run every query against the migrated schema).

diesel::table! {
    brands (id) {
        id -> Int8,
        name -> Text,
        slug -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    programs (id) {
        id -> Int8,
        brand_id -> Int8,
        name -> Text,
        slug -> Text,
        currency -> Text,
        description -> Text,
        terms -> Text,
        is_open -> Bool,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    partners (id) {
        id -> Int8,
        name -> Text,
        email -> Text,
        kind -> Text,
        country -> Text,
        website -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    program_memberships (id) {
        id -> Int8,
        partner_id -> Int8,
        program_id -> Int8,
        status -> Text,
        promotion_plan -> Text,
        terms_accepted_at -> Timestamptz,
        status_reason -> Nullable<Text>,
        decided_by -> Nullable<Int8>,
        applied_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    users (id) {
        id -> Int8,
        email -> Text,
        display_name -> Text,
        password_hash -> Nullable<Text>,
        kind -> Text,
        operator_role -> Nullable<Text>,
        partner_id -> Nullable<Int8>,
        partner_role -> Nullable<Text>,
        is_active -> Bool,
        created_at -> Timestamptz,
        password_changed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    password_tokens (id) {
        id -> Int8,
        user_id -> Int8,
        token_hash -> Bytea,
        purpose -> Text,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        data -> Jsonb,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    rate_limits (key) {
        key -> Text,
        window_started_at -> Timestamptz,
        hits -> Int4,
    }
}

diesel::table! {
    audit_events (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_user_id -> Nullable<Int8>,
        actor_label -> Text,
        action -> Text,
        subject_type -> Text,
        subject_id -> Text,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    email_outbox (id) {
        id -> Int8,
        to_address -> Text,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        last_error -> Nullable<Text>,
        created_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(programs -> brands (brand_id));
diesel::joinable!(program_memberships -> partners (partner_id));
diesel::joinable!(program_memberships -> programs (program_id));
diesel::joinable!(password_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    brands,
    programs,
    partners,
    program_memberships,
    users,
    password_tokens,
    sessions,
    rate_limits,
    audit_events,
    email_outbox,
);
