//! Building blocks shared by every page.

pub mod bar_chart;
pub mod budget_bar;
pub mod chart;
pub mod color_swatch;
pub mod csrf;
pub mod date_time;
pub mod deal_detail;
pub mod deal_table;
pub mod feedback;
pub mod fields;
pub mod lessons;
pub mod load;
pub mod named_fields;
pub mod people;
pub mod report_grid;
pub mod report_table;
pub mod table;
pub mod tier_progress;

pub use bar_chart::BarChart;
pub use budget_bar::BudgetBar;
pub use chart::{DailyChart, TotalsCards};
pub use color_swatch::ColorSwatch;
pub use csrf::CsrfField;
pub use deal_detail::{DealFacts, DealHistory, StageFields};
pub use deal_table::{DealTable, StageBars};
pub use feedback::{EmptyState, ErrorPanel, FormError, Loading, Notice, StatusBadge};
pub use fields::{
    CheckboxField, CheckboxList, FileField, NewPasswordFields, ProgramFilter, SelectField, TextAreaField, TextField,
};
pub use lessons::Lessons;
pub use load::load;
pub use named_fields::{options, Choice, NamedCheckbox, NamedChoices, NamedSelect, NamedText};
pub use people::{InviteeFields, RoleChangeFields, RolePromises};
pub use report_grid::ReportGrid;
pub use report_table::BreakdownTable;
pub use table::{Pager, SortLink};
pub use tier_progress::TierProgress;
