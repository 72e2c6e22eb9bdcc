//! Diesel table definitions, kept in step with `migrations/` by hand (and checked by the
//! migration tests, which run every query against the migrated schema).

diesel::table! {
    brands (id) {
        id -> Int8,
        name -> Text,
        slug -> Text,
        created_at -> Timestamptz,
        legal_name -> Text,
        address -> Text,
        country -> Text,
        default_currency -> Text,
        tax_id -> Text,
        support_email -> Text,
        sender_name -> Text,
        primary_color -> Text,
        logo -> Nullable<Bytea>,
        logo_type -> Nullable<Text>,
        logo_version -> Int4,
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
        allowed_domains -> Array<Text>,
        default_landing_url -> Nullable<Text>,
        cookie_days -> Int4,
        attribution_model -> Text,
        click_param -> Text,
        coupons_override -> Bool,
        auto_approve_below -> Nullable<Numeric>,
        finance_above -> Nullable<Numeric>,
        lock_days -> Int4,
        sla_remind_hours -> Int4,
        sla_escalate_hours -> Int4,
        sub_partner_invites -> Bool,
        default_plan_id -> Nullable<Int8>,
        deal_partner_kinds -> Array<Text>,
        deal_protection_days -> Int4,
        deal_sla_hours -> Int4,
        existing_customer_policy -> Text,
        kind -> Text,
        invite_code -> Text,
        partner_kinds -> Array<Text>,
        archived_at -> Nullable<Timestamptz>,
        links_end_at -> Nullable<Timestamptz>,
        adjustment_review_above -> Numeric,
    }
}

diesel::table! {
    tier_settings (program_id) {
        program_id -> Int8,
        window_days -> Int4,
        grace_days -> Int4,
        evaluated_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    program_tiers (id) {
        id -> Int8,
        program_id -> Int8,
        rank -> Int2,
        name -> Text,
        min_revenue -> Numeric,
        min_conversions -> Int4,
        min_won_value -> Numeric,
        min_won_deals -> Int4,
        min_certified_people -> Int4,
        min_documents -> Int4,
        min_days_in_program -> Int4,
        plan_id -> Nullable<Int8>,
        protection_days -> Nullable<Int4>,
        mdf_share -> Nullable<Numeric>,
    }
}

diesel::table! {
    tier_changes (id) {
        id -> Int8,
        program_id -> Int8,
        partner_id -> Int8,
        kind -> Text,
        from_tier -> Nullable<Text>,
        to_tier -> Nullable<Text>,
        reason -> Text,
        actor_id -> Nullable<Int8>,
        terms_id -> Nullable<Int8>,
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
        about -> Nullable<Text>,
        channels -> Array<Text>,
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
        flagged_reason -> Nullable<Text>,
        invited_by -> Nullable<Int8>,
        tier -> Nullable<Text>,
        tier_since -> Nullable<Timestamptz>,
        tier_demotion_due_at -> Nullable<Timestamptz>,
        tier_locked_reason -> Nullable<Text>,
        tier_locked_by -> Nullable<Int8>,
        tier_locked_at -> Nullable<Timestamptz>,
        approved_at -> Nullable<Timestamptz>,
        tags -> Array<Text>,
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
        brand_scoped -> Bool,
        invited_by -> Nullable<Int8>,
    }
}

diesel::table! {
    operator_brands (user_id, brand_id) {
        user_id -> Int8,
        brand_id -> Int8,
    }
}

diesel::table! {
    setup_tokens (token_hash) {
        token_hash -> Bytea,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        used_at -> Nullable<Timestamptz>,
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
    segments (id) {
        id -> Int8,
        program_id -> Int8,
        name -> Text,
        filter -> Jsonb,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
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
        brand_id -> Nullable<Int8>,
        ip -> Nullable<Text>,
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
        sender_name -> Nullable<Text>,
    }
}

diesel::table! {
    links (id) {
        id -> Int8,
        program_id -> Int8,
        partner_id -> Int8,
        code -> Text,
        destination -> Text,
        campaign -> Nullable<Text>,
        sub1 -> Nullable<Text>,
        sub2 -> Nullable<Text>,
        sub3 -> Nullable<Text>,
        sub4 -> Nullable<Text>,
        sub5 -> Nullable<Text>,
        is_default -> Bool,
        disabled_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    coupons (id) {
        id -> Int8,
        program_id -> Int8,
        partner_id -> Int8,
        code -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    clicks (id, clicked_at) {
        id -> Text,
        link_id -> Int8,
        partner_id -> Int8,
        program_id -> Int8,
        clicked_at -> Timestamptz,
        ip -> Text,
        user_agent -> Text,
        referrer -> Nullable<Text>,
        sub1 -> Nullable<Text>,
        sub2 -> Nullable<Text>,
        sub3 -> Nullable<Text>,
        sub4 -> Nullable<Text>,
        sub5 -> Nullable<Text>,
        country -> Nullable<Text>,
        flag -> Nullable<Text>,
        creative_id -> Nullable<Int8>,
    }
}

diesel::table! {
    creative_files (sha256) {
        sha256 -> Text,
        content_type -> Text,
        size_bytes -> Int4,
        data -> Bytea,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    creatives (id) {
        id -> Int8,
        program_id -> Int8,
        kind -> Text,
        name -> Text,
        landing_url -> Text,
        body -> Text,
        alt_text -> Text,
        tags -> Array<Text>,
        image_sha256 -> Nullable<Text>,
        image_type -> Nullable<Text>,
        thumb_sha256 -> Nullable<Text>,
        file_name -> Nullable<Text>,
        width -> Nullable<Int4>,
        height -> Nullable<Int4>,
        active_from -> Nullable<Timestamptz>,
        active_until -> Nullable<Timestamptz>,
        visibility -> Text,
        visible_kinds -> Array<Text>,
        visible_tiers -> Array<Text>,
        visible_partners -> Array<Int8>,
        archived_at -> Nullable<Timestamptz>,
        created_by -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    courses (id) {
        id -> Int8,
        program_id -> Int8,
        title -> Text,
        summary -> Text,
        visibility -> Text,
        visible_kinds -> Array<Text>,
        visible_tiers -> Array<Text>,
        pass_mark -> Int2,
        max_attempts -> Int2,
        wait_minutes -> Int4,
        partial_credit -> Bool,
        published_at -> Nullable<Timestamptz>,
        created_by -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    lessons (id) {
        id -> Int8,
        course_id -> Int8,
        position -> Int4,
        title -> Text,
        body_markdown -> Text,
        video_url -> Nullable<Text>,
    }
}

diesel::table! {
    quiz_questions (id) {
        id -> Int8,
        course_id -> Int8,
        position -> Int4,
        prompt -> Text,
        multiple -> Bool,
    }
}

diesel::table! {
    quiz_options (id) {
        id -> Int8,
        question_id -> Int8,
        position -> Int4,
        label -> Text,
        correct -> Bool,
    }
}

diesel::table! {
    course_attempts (id) {
        id -> Int8,
        course_id -> Int8,
        user_id -> Int8,
        partner_id -> Int8,
        attempt_no -> Int4,
        answers -> Jsonb,
        score_percent -> Int2,
        passed -> Bool,
        submitted_at -> Timestamptz,
    }
}

diesel::table! {
    certifications (id) {
        id -> Int8,
        program_id -> Int8,
        name -> Text,
        description -> Text,
        valid_months -> Int2,
        course_ids -> Array<Int8>,
        created_by -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    certificates (id) {
        id -> Int8,
        certification_id -> Int8,
        user_id -> Int8,
        partner_id -> Int8,
        code -> Text,
        awarded_at -> Timestamptz,
        valid_until -> Timestamptz,
        reminded_30_at -> Nullable<Timestamptz>,
        reminded_7_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    partner_certified_people (partner_id, certification_id) {
        partner_id -> Int8,
        certification_id -> Int8,
        people -> Int4,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    announcements (id) {
        id -> Int8,
        program_id -> Int8,
        title -> Text,
        body_markdown -> Text,
        visibility -> Text,
        visible_kinds -> Array<Text>,
        visible_tiers -> Array<Text>,
        emailed -> Bool,
        created_by -> Int8,
        created_at -> Timestamptz,
        visible_partners -> Array<Int8>,
        segment_name -> Nullable<Text>,
    }
}

diesel::table! {
    announcement_reads (announcement_id, user_id) {
        announcement_id -> Int8,
        user_id -> Int8,
        read_at -> Timestamptz,
    }
}

diesel::table! {
    agreement_versions (id) {
        id -> Int8,
        program_id -> Int8,
        version -> Int4,
        title -> Text,
        body_markdown -> Text,
        changes -> Text,
        text_sha256 -> Text,
        published_by -> Int8,
        published_at -> Timestamptz,
    }
}

diesel::table! {
    agreement_acceptances (agreement_id, user_id) {
        agreement_id -> Int8,
        user_id -> Int8,
        partner_id -> Int8,
        accepted_at -> Timestamptz,
        ip -> Text,
        text_sha256 -> Text,
    }
}

diesel::table! {
    document_requirements (id) {
        id -> Int8,
        program_id -> Int8,
        kind -> Text,
        name -> Text,
        help -> Text,
        needed_before -> Text,
        created_at -> Timestamptz,
        retired_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    partner_documents (id) {
        id -> Int8,
        requirement_id -> Int8,
        partner_id -> Int8,
        uploaded_by -> Int8,
        uploaded_at -> Timestamptz,
        filename -> Text,
        content_type -> Text,
        size_bytes -> Int4,
        sha256 -> Bytea,
        sealed -> Bytea,
        key_id -> Text,
        status -> Text,
        decided_by -> Nullable<Int8>,
        decided_at -> Nullable<Timestamptz>,
        reason -> Nullable<Text>,
        expires_on -> Nullable<Date>,
        expiry_notified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    application_questions (id) {
        id -> Int8,
        program_id -> Int8,
        position -> Int4,
        label -> Text,
        help -> Text,
        kind -> Text,
        options -> Array<Text>,
        required -> Bool,
        created_at -> Timestamptz,
        retired_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    application_answers (membership_id, question_id) {
        membership_id -> Int8,
        question_id -> Int8,
        label -> Text,
        answer -> Array<Text>,
    }
}

diesel::table! {
    promo_rules (program_id) {
        program_id -> Int8,
        require_approval -> Bool,
        disclosure_phrases -> Array<Text>,
        brand_terms -> Array<Text>,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    promo_submissions (id) {
        id -> Int8,
        program_id -> Int8,
        partner_id -> Int8,
        submitted_by -> Int8,
        channel -> Text,
        url -> Text,
        body -> Text,
        flags -> Array<Text>,
        status -> Text,
        reason -> Nullable<Text>,
        decided_by -> Nullable<Int8>,
        decided_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        screenshot_type -> Nullable<Text>,
        screenshot -> Nullable<Bytea>,
    }
}

diesel::table! {
    click_retention (only_row) {
        only_row -> Bool,
        kept_from -> Date,
        changed_at -> Timestamptz,
    }
}

diesel::table! {
    api_keys (id) {
        id -> Int8,
        program_id -> Int8,
        name -> Text,
        prefix -> Text,
        key_hash -> Bytea,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    conversions (id) {
        id -> Int8,
        program_id -> Int8,
        order_id -> Text,
        event -> Text,
        amount -> Nullable<Numeric>,
        currency -> Nullable<Text>,
        click_id -> Nullable<Text>,
        coupon -> Nullable<Text>,
        customer_id -> Nullable<Text>,
        customer_email -> Nullable<Text>,
        occurred_at -> Timestamptz,
        received_at -> Timestamptz,
        metadata -> Nullable<Jsonb>,
        partner_id -> Nullable<Int8>,
        link_id -> Nullable<Int8>,
        attribution -> Text,
        attribution_note -> Nullable<Text>,
        request -> Jsonb,
        deductions -> Numeric,
        country -> Nullable<Text>,
        sub1 -> Nullable<Text>,
        creative_id -> Nullable<Int8>,
    }
}

diesel::table! {
    refunds (id) {
        id -> Int8,
        conversion_id -> Int8,
        program_id -> Int8,
        refund_id -> Text,
        amount -> Numeric,
        reason -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    commissions (id) {
        id -> Int8,
        conversion_id -> Nullable<Int8>,
        program_id -> Int8,
        partner_id -> Int8,
        kind -> Text,
        amount -> Numeric,
        currency -> Text,
        refund_id -> Nullable<Int8>,
        explanation -> Text,
        created_at -> Timestamptz,
        terms_version_id -> Nullable<Int8>,
        inputs -> Nullable<Jsonb>,
        source_id -> Nullable<Int8>,
        level -> Nullable<Int2>,
        reason -> Nullable<Text>,
        created_by -> Nullable<Int8>,
        payable_at -> Timestamptz,
    }
}

diesel::table! {
    customer_bindings (program_id, customer_key) {
        program_id -> Int8,
        customer_key -> Text,
        partner_id -> Int8,
        conversion_id -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    daily_stats (program_id, partner_id, day, link_id, sub1, creative_id, shard) {
        day -> Date,
        program_id -> Int8,
        partner_id -> Int8,
        link_id -> Int8,
        sub1 -> Text,
        clicks -> Int8,
        unique_clicks -> Int8,
        conversions -> Int8,
        revenue -> Numeric,
        commission -> Numeric,
        shard -> Int2,
        creative_id -> Int8,
    }
}

diesel::table! {
    partner_month_totals (program_id, partner_id, month, event) {
        program_id -> Int8,
        partner_id -> Int8,
        month -> Date,
        event -> Text,
        conversions -> Int8,
        revenue -> Numeric,
        net -> Numeric,
        commission -> Numeric,
    }
}

diesel::table! {
    commission_plans (id) {
        id -> Int8,
        program_id -> Int8,
        name -> Text,
        definition -> Jsonb,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    partner_terms (id) {
        id -> Int8,
        program_id -> Int8,
        partner_id -> Int8,
        version -> Int4,
        plan_id -> Int8,
        overrides -> Jsonb,
        effective_from -> Timestamptz,
        author_id -> Nullable<Int8>,
        reason -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sub_partner_links (program_id, partner_id) {
        program_id -> Int8,
        partner_id -> Int8,
        master_id -> Int8,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    sub_partner_invites (program_id, master_id) {
        program_id -> Int8,
        master_id -> Int8,
        code -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    commission_decisions (id) {
        id -> Int8,
        commission_id -> Int8,
        seq -> Int4,
        status -> Text,
        stage -> Nullable<Text>,
        actor_id -> Nullable<Int8>,
        reason -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    commission_sla_notices (commission_id, seq, kind) {
        commission_id -> Int8,
        seq -> Int4,
        kind -> Text,
        sent_at -> Timestamptz,
    }
}

diesel::table! {
    products (id) {
        id -> Int8,
        program_id -> Int8,
        name -> Text,
        archived_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    customer_domains (program_id, domain) {
        program_id -> Int8,
        domain -> Text,
        source -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    deals (id) {
        id -> Int8,
        program_id -> Int8,
        partner_id -> Int8,
        company -> Text,
        domain -> Text,
        country -> Text,
        contact_name -> Text,
        contact_email -> Text,
        contact_title -> Nullable<Text>,
        value -> Numeric,
        currency -> Text,
        expected_close -> Date,
        notes -> Nullable<Text>,
        status -> Text,
        stage -> Text,
        warnings -> Array<Text>,
        protected_until -> Nullable<Timestamptz>,
        submitted_at -> Timestamptz,
        decided_at -> Nullable<Timestamptz>,
        decided_by -> Nullable<Int8>,
        decision_reason -> Nullable<Text>,
        closed_at -> Nullable<Timestamptz>,
        conversion_id -> Nullable<Int8>,
        reminded_at -> Nullable<Timestamptz>,
        escalated_at -> Nullable<Timestamptz>,
        expiry_warned_at -> Nullable<Timestamptz>,
        mdf_request_id -> Nullable<Int8>,
        match_keys -> Nullable<Array<Text>>,
    }
}

diesel::table! {
    deal_events (id) {
        id -> Int8,
        deal_id -> Int8,
        at -> Timestamptz,
        actor_id -> Nullable<Int8>,
        kind -> Text,
        stage -> Nullable<Text>,
        value -> Nullable<Numeric>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    deal_extensions (id) {
        id -> Int8,
        deal_id -> Int8,
        days -> Int4,
        reason -> Text,
        requested_by -> Int8,
        requested_at -> Timestamptz,
        status -> Text,
        decided_by -> Nullable<Int8>,
        decided_at -> Nullable<Timestamptz>,
        decision_reason -> Nullable<Text>,
    }
}

diesel::table! {
    deal_products (deal_id, product_id) {
        deal_id -> Int8,
        product_id -> Int8,
    }
}

diesel::table! {
    mdf_funds (id) {
        id -> Int8,
        program_id -> Int8,
        name -> Text,
        period_start -> Date,
        period_end -> Date,
        claim_days -> Int4,
        currency -> Text,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        expired_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    mdf_balances (fund_id, partner_id) {
        fund_id -> Int8,
        partner_id -> Int8,
        allocated -> Numeric,
        requested -> Numeric,
        approved -> Numeric,
        claimed -> Numeric,
        paid -> Numeric,
        committed -> Numeric,
        expired -> Numeric,
        available -> Numeric,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    mdf_allocations (id) {
        id -> Int8,
        fund_id -> Int8,
        program_id -> Int8,
        partner_id -> Int8,
        amount -> Numeric,
        source -> Text,
        tier -> Nullable<Text>,
        percent -> Nullable<Numeric>,
        revenue -> Nullable<Numeric>,
        revenue_from -> Nullable<Date>,
        revenue_to -> Nullable<Date>,
        note -> Nullable<Text>,
        created_by -> Nullable<Int8>,
        created_at -> Timestamptz,
        segment_name -> Nullable<Text>,
        tier_share -> Nullable<Numeric>,
        pool -> Nullable<Numeric>,
        split_among -> Nullable<Int4>,
    }
}

diesel::table! {
    mdf_requests (id) {
        id -> Int8,
        fund_id -> Int8,
        partner_id -> Int8,
        activity -> Text,
        description -> Text,
        starts_on -> Date,
        ends_on -> Date,
        amount -> Numeric,
        expected_outcome -> Text,
        claim_deadline -> Timestamptz,
        status -> Text,
        approved_amount -> Nullable<Numeric>,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Int8>,
        decided_at -> Nullable<Timestamptz>,
        submitted_at -> Timestamptz,
    }
}

diesel::table! {
    mdf_claims (id) {
        id -> Int8,
        request_id -> Int8,
        partner_id -> Int8,
        amount -> Numeric,
        actual_cost -> Numeric,
        leads -> Int4,
        attendees -> Int4,
        notes -> Nullable<Text>,
        status -> Text,
        approved_amount -> Nullable<Numeric>,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<Int8>,
        decided_at -> Nullable<Timestamptz>,
        submitted_at -> Timestamptz,
    }
}

diesel::table! {
    mdf_files (id) {
        id -> Int8,
        claim_id -> Int8,
        partner_id -> Int8,
        filename -> Text,
        content_type -> Text,
        size_bytes -> Int4,
        sha256 -> Bytea,
        data -> Bytea,
        uploaded_at -> Timestamptz,
    }
}

diesel::table! {
    mdf_events (id) {
        id -> Int8,
        fund_id -> Int8,
        partner_id -> Int8,
        request_id -> Nullable<Int8>,
        kind -> Text,
        amount -> Nullable<Numeric>,
        actor_id -> Nullable<Int8>,
        note -> Nullable<Text>,
        occurred_at -> Timestamptz,
    }
}

diesel::table! {
    deal_stage_probabilities (program_id) {
        program_id -> Int8,
        registered -> Numeric,
        qualified -> Numeric,
        proposal -> Numeric,
        negotiation -> Numeric,
        updated_at -> Timestamptz,
        updated_by -> Nullable<Int8>,
    }
}

diesel::table! {
    library_folders (id) {
        id -> Int8,
        program_id -> Int8,
        name -> Text,
        created_at -> Timestamptz,
    }
}

// `search` (a generated tsvector) is left out of `documents`: searches name it in SQL.
diesel::table! {
    documents (id) {
        id -> Int8,
        program_id -> Int8,
        folder_id -> Int8,
        title -> Text,
        description -> Text,
        tags -> Array<Text>,
        visibility -> Text,
        visible_kinds -> Array<Text>,
        visible_tiers -> Array<Text>,
        certification_id -> Nullable<Int8>,
        search_text -> Text,
        latest_version -> Int4,
        archived_at -> Nullable<Timestamptz>,
        created_by -> Int8,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    document_versions (id) {
        id -> Int8,
        document_id -> Int8,
        version -> Int4,
        file_name -> Text,
        content_type -> Text,
        size_bytes -> Int8,
        sha256 -> Text,
        note -> Text,
        uploaded_by -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    document_chunks (version_id, seq) {
        version_id -> Int8,
        seq -> Int4,
        data -> Bytea,
    }
}

diesel::table! {
    document_downloads (document_id, partner_id) {
        document_id -> Int8,
        partner_id -> Int8,
        downloads -> Int8,
        last_at -> Timestamptz,
    }
}

diesel::table! {
    lesson_attachments (lesson_id, document_id) {
        lesson_id -> Int8,
        document_id -> Int8,
    }
}

diesel::table! {
    payout_settings (program_id) {
        program_id -> Int8,
        review_days -> Int4,
        minimum_payout -> Numeric,
    }
}

diesel::table! {
    brand_payout_settings (brand_id) {
        brand_id -> Int8,
        debtor_iban -> Nullable<Text>,
        debtor_bic -> Nullable<Text>,
        self_billing -> Bool,
        invoice_prefix -> Text,
        next_invoice_number -> Int8,
    }
}

diesel::table! {
    payout_runs (id) {
        id -> Int8,
        brand_ids -> Array<Int8>,
        as_of -> Date,
        status -> Text,
        created_by -> Int8,
        created_at -> Timestamptz,
        approved_by -> Nullable<Int8>,
        approved_at -> Nullable<Timestamptz>,
        closed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    payout_items (id) {
        id -> Int8,
        run_id -> Int8,
        partner_id -> Int8,
        brand_id -> Int8,
        currency -> Text,
        amount -> Numeric,
        entries -> Int4,
        method_id -> Int8,
        reference -> Text,
        status -> Text,
        paid_on -> Nullable<Date>,
        bank_reference -> Nullable<Text>,
        failure_reason -> Nullable<Text>,
        settled_by -> Nullable<Int8>,
        settled_at -> Nullable<Timestamptz>,
        invoice_number -> Nullable<Text>,
    }
}

diesel::table! {
    payout_skips (run_id, partner_id, brand_id, currency) {
        run_id -> Int8,
        partner_id -> Int8,
        brand_id -> Int8,
        currency -> Text,
        amount -> Numeric,
        entries -> Int4,
        reason -> Text,
        detail -> Text,
    }
}

diesel::table! {
    payout_methods (id) {
        id -> Int8,
        partner_id -> Int8,
        currency -> Text,
        kind -> Text,
        account_holder -> Nullable<Text>,
        account_sealed -> Nullable<Bytea>,
        account_last4 -> Nullable<Text>,
        bank_code -> Nullable<Text>,
        email -> Nullable<Text>,
        instructions -> Nullable<Text>,
        key_id -> Nullable<Text>,
        review_until -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
        created_by -> Nullable<Int8>,
        replaced_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    tax_profiles (id) {
        id -> Int8,
        partner_id -> Int8,
        form -> Text,
        legal_name -> Text,
        entity_type -> Nullable<Text>,
        tin_sealed -> Nullable<Bytea>,
        tin_last4 -> Nullable<Text>,
        address -> Text,
        country -> Text,
        treaty_article -> Nullable<Text>,
        vat_sealed -> Nullable<Bytea>,
        vat_last4 -> Nullable<Text>,
        invoice_name -> Text,
        invoice_address -> Text,
        key_id -> Nullable<Text>,
        created_at -> Timestamptz,
        created_by -> Nullable<Int8>,
        replaced_at -> Nullable<Timestamptz>,
    }
}

diesel::joinable!(payout_settings -> programs (program_id));
diesel::joinable!(payout_methods -> partners (partner_id));
diesel::joinable!(tax_profiles -> partners (partner_id));
diesel::joinable!(brand_payout_settings -> brands (brand_id));
diesel::joinable!(payout_items -> payout_runs (run_id));
diesel::joinable!(payout_items -> partners (partner_id));
diesel::joinable!(payout_items -> brands (brand_id));
diesel::joinable!(payout_items -> payout_methods (method_id));
diesel::joinable!(payout_skips -> payout_runs (run_id));
diesel::joinable!(payout_skips -> partners (partner_id));

diesel::joinable!(documents -> library_folders (folder_id));
diesel::joinable!(documents -> programs (program_id));
diesel::joinable!(document_versions -> documents (document_id));
diesel::joinable!(document_chunks -> document_versions (version_id));
diesel::joinable!(document_downloads -> documents (document_id));
diesel::joinable!(document_downloads -> partners (partner_id));
diesel::joinable!(lesson_attachments -> documents (document_id));
diesel::joinable!(lesson_attachments -> lessons (lesson_id));
diesel::joinable!(programs -> brands (brand_id));
diesel::joinable!(operator_brands -> brands (brand_id));
diesel::joinable!(operator_brands -> users (user_id));
diesel::joinable!(user_totp -> users (user_id));
diesel::joinable!(program_two_factor -> programs (program_id));
diesel::joinable!(user_recovery_codes -> users (user_id));
diesel::joinable!(program_memberships -> partners (partner_id));
diesel::joinable!(segments -> programs (program_id));
diesel::joinable!(program_memberships -> programs (program_id));
diesel::joinable!(password_tokens -> users (user_id));
diesel::joinable!(links -> programs (program_id));
diesel::joinable!(creatives -> programs (program_id));
diesel::joinable!(courses -> programs (program_id));
diesel::joinable!(promo_submissions -> programs (program_id));
diesel::joinable!(promo_submissions -> partners (partner_id));
diesel::joinable!(announcements -> programs (program_id));
diesel::joinable!(announcement_reads -> announcements (announcement_id));
diesel::joinable!(agreement_versions -> programs (program_id));
diesel::joinable!(agreement_acceptances -> agreement_versions (agreement_id));
diesel::joinable!(agreement_acceptances -> partners (partner_id));
diesel::joinable!(application_questions -> programs (program_id));
diesel::joinable!(document_requirements -> programs (program_id));
diesel::joinable!(partner_documents -> document_requirements (requirement_id));
diesel::joinable!(partner_documents -> partners (partner_id));
diesel::joinable!(application_answers -> application_questions (question_id));
diesel::joinable!(application_answers -> program_memberships (membership_id));
diesel::joinable!(lessons -> courses (course_id));
diesel::joinable!(quiz_questions -> courses (course_id));
diesel::joinable!(quiz_options -> quiz_questions (question_id));
diesel::joinable!(course_attempts -> courses (course_id));
diesel::joinable!(certificates -> certifications (certification_id));
diesel::joinable!(certificates -> users (user_id));
diesel::joinable!(certificates -> partners (partner_id));
diesel::joinable!(certifications -> programs (program_id));
diesel::joinable!(partner_certified_people -> partners (partner_id));
diesel::joinable!(partner_certified_people -> certifications (certification_id));
diesel::joinable!(links -> partners (partner_id));
diesel::joinable!(coupons -> partners (partner_id));
diesel::joinable!(coupons -> programs (program_id));
diesel::joinable!(conversions -> programs (program_id));
diesel::joinable!(conversions -> partners (partner_id));
diesel::joinable!(commissions -> conversions (conversion_id));
diesel::joinable!(api_keys -> programs (program_id));
diesel::joinable!(partner_terms -> commission_plans (plan_id));
diesel::joinable!(commission_decisions -> commissions (commission_id));
diesel::joinable!(commissions -> partners (partner_id));
diesel::joinable!(mdf_funds -> programs (program_id));
diesel::joinable!(mdf_requests -> mdf_funds (fund_id));
diesel::joinable!(mdf_claims -> mdf_requests (request_id));
diesel::joinable!(mdf_files -> mdf_claims (claim_id));

diesel::joinable!(program_tiers -> programs (program_id));
diesel::joinable!(tier_changes -> users (actor_id));

diesel::table! {
    user_totp (user_id) {
        user_id -> Int8,
        secret_sealed -> Bytea,
        key_id -> Text,
        confirmed_at -> Nullable<Timestamptz>,
        last_step -> Int8,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    user_recovery_codes (id) {
        id -> Int8,
        user_id -> Int8,
        code_hash -> Bytea,
        used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    program_two_factor (program_id) {
        program_id -> Int8,
        required_since -> Timestamptz,
    }
}

diesel::table! {
    installation_settings (id) {
        id -> Bool,
        operators_need_two_factor -> Bool,
        updated_at -> Timestamptz,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    user_totp,
    user_recovery_codes,
    installation_settings,
    program_two_factor,
    program_tiers,
    tier_changes,
    tier_settings,
    document_requirements,
    partner_documents,
    application_questions,
    application_answers,
    agreement_versions,
    agreement_acceptances,
    library_folders,
    documents,
    document_versions,
    document_chunks,
    document_downloads,
    lesson_attachments,
    brands,
    programs,
    partners,
    program_memberships,
    users,
    password_tokens,
    segments,
    sessions,
    rate_limits,
    audit_events,
    email_outbox,
    links,
    coupons,
    clicks,
    api_keys,
    conversions,
    refunds,
    commissions,
    customer_bindings,
    daily_stats,
    creatives,
    creative_files,
    announcements,
    announcement_reads,
    promo_rules,
    promo_submissions,
    courses,
    lessons,
    quiz_questions,
    quiz_options,
    course_attempts,
    certifications,
    certificates,
    partner_certified_people,
    partner_month_totals,
    commission_plans,
    partner_terms,
    sub_partner_links,
    sub_partner_invites,
    commission_decisions,
    commission_sla_notices,
    products,
    customer_domains,
    deals,
    deal_products,
    deal_events,
    deal_extensions,
    mdf_funds,
    mdf_balances,
    mdf_allocations,
    mdf_requests,
    mdf_claims,
    mdf_files,
    mdf_events,
    deal_stage_probabilities,
    operator_brands,
    setup_tokens,
    payout_settings,
    payout_methods,
    tax_profiles,
    brand_payout_settings,
    payout_runs,
    payout_items,
    payout_skips,
);
