//! Generates the Tauri context (config, capabilities, icons) and the
//! permissions for the app's own commands. The capabilities live in
//! src-tauri/capabilities (the Tauri default would be ./capabilities next to
//! tauri.conf.json, which is the repository root here).

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*").app_manifest(
            tauri_build::AppManifest::new().commands(&[
                "count_members",
                "find_members",
                "get_member_card",
                "get_settings",
                "seed_demo_data",
                "add_member",
                "edit_member",
                "record_sale",
                "top_up_wallet",
                "refund_stored_value",
                "adjust_stored_value",
                "set_member_archived",
                "redeem_reward",
                "void_receipt",
                "get_receipt",
                "update_settings",
                "list_programs",
                "add_program",
                "set_program_active",
                "list_bonus_rules",
                "set_bonus_rule",
                "remove_bonus_rule",
                "list_products",
                "add_product",
                "edit_product",
                "set_product_active",
                "print_receipt",
                "save_receipt_pdf",
                "owner_dashboard",
                "owner_nes",
                "owner_lapsed",
                "owner_vip",
                "owner_rfm",
                "owner_birthdays",
                "owner_due",
                "owner_pareto",
                "owner_tags",
                "owner_win_back",
                "record_contact",
                "member_contacts",
                "list_message_templates",
                "set_message_template",
                "outreach_messages",
                "get_owner_settings",
                "update_owner_settings",
                "list_tiers",
                "set_tiers",
                "tier_review",
                "export_owner_list",
                "day_close",
                "show_in_folder",
                "print_day_close",
                "save_day_close_pdf",
            ]),
        ),
    )
    .expect("failed to run the Tauri build script");
}
