//! Every problem the rules loader and linter can find, with its stable code and its messages.
//!
//! Codes are append-only: a code never changes meaning and is never reused.

use crate::diagnostic::Severity;
use crate::rules::file::ItemField;

/// A problem in rule files. [`RuleProblem::code`] is the stable machine code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[allow(missing_docs)] // the fields are named by what they hold; each variant is documented
pub enum RuleProblem {
    /// The file could not be read.
    #[error("cannot read the file: {message}")]
    ReadFailed { message: String, message_zh: String },
    /// The file is not valid TOML.
    #[error("invalid TOML: {message}")]
    Syntax { message: String },
    /// The file is not valid JSON (a compiled rule file).
    #[error("invalid JSON: {message}")]
    JsonSyntax { message: String },
    /// A TOML rule file given to a build without the TOML reader (the browser package).
    #[error(
        "this build (the browser package) does not read TOML rule files: compile them to JSON with `cunwu rules compile`"
    )]
    TomlUnavailable,
    /// A key that the format does not know (often a typo).
    #[error("unknown key `{key}`")]
    UnknownKey { key: String, expected: Vec<String> },
    /// A required key is absent.
    #[error("missing key `{key}`")]
    MissingKey { key: String },
    /// A value of the wrong type or out of range.
    #[error("invalid value: {message}")]
    InvalidValue { message: String },
    /// An item, amendment or parameter value with no legal basis and not marked a local default.
    #[error("{subject} has no legal basis")]
    MissingLegalBasis { subject: String },
    /// A basis or layer source names a document that no file declares.
    #[error("unknown document `{doc}`")]
    UnknownDocument { doc: String },
    /// Two documents with one id.
    #[error("document `{id}` is declared twice")]
    DuplicateDocument { id: String },
    /// `until` before `from`.
    #[error("the range ends ({until}) before it starts ({from})")]
    InvalidRange { from: String, until: String },
    /// A local default without a note saying why.
    #[error("{subject} is marked a local default but has no `note` explaining it")]
    LocalDefaultWithoutNote { subject: String },
    /// Items, amendments or parameters in a file without a `[layer]`.
    #[error("the file has items, amendments or parameters but no `[layer]` table")]
    LayerMissing,
    /// Two layers with one id.
    #[error("layer `{id}` is declared twice")]
    LayerDuplicate { id: String },
    /// A parent that no file declares.
    #[error("layer `{layer}` names the unknown parent `{parent}`")]
    LayerUnknownParent { layer: String, parent: String },
    /// A non-national layer without a parent, or a national one with one.
    #[error("layer `{layer}` at level `{level}` {expectation}")]
    LayerParentRule { layer: String, level: String, expectation: String },
    /// Parents that go round in a circle.
    #[error("layers form a cycle: {chain}")]
    LayerCycle { chain: String },
    /// A child at the same or a higher level than its parent.
    #[error("layer `{layer}` ({level}) must be at a lower level than its parent `{parent}` ({parent_level})")]
    LayerLevelOrder { layer: String, level: String, parent: String, parent_level: String },
    /// A child layer in force on days its parent is not.
    #[error("layer `{layer}` is in force on days when its parent `{parent}` is not")]
    LayerOutsideParent { layer: String, parent: String },
    /// Two layers competing for the same place on the same days.
    #[error("layers `{layer}` and `{other}` are both in force for {place} from {from}")]
    LayerOverlap { layer: String, other: String, place: String, from: String },
    /// A district layer without a district, or a district given for another level.
    #[error("layer `{layer}`: {message}")]
    LayerDistrict { layer: String, message: String },
    /// The same item defined twice on overlapping days.
    #[error("item `{id}` is defined twice for overlapping dates")]
    DuplicateItem { id: String },
    /// An item that stops and later starts again.
    #[error("item `{id}` is not in force between {after} and {before}")]
    ItemGap { id: String, after: String, before: String },
    /// An item that reaches communities under a village's name, with no `community_name`.
    #[error(
        "item `{id}` reaches communities, but its name `{name}` speaks of a village and it has no `community_name`"
    )]
    CommunityNameMissing { id: String, name: String },
    /// An amendment targets an item that no ancestor layer defines.
    #[error("unknown item `{id}`: no ancestor layer defines it")]
    UnknownItem { id: String },
    /// An item or amendment dated outside its layer's range.
    #[error("{subject} is dated outside its layer's effective range")]
    OutsideLayer { subject: String },
    /// An amendment must select items by exactly one of `items`, `kinds`, `all`.
    #[error("an amendment must select items by exactly one of `items`, `kinds` or `all = true`")]
    BadSelector,
    /// An empty list where at least one value is needed.
    #[error("`{field}` must not be empty")]
    EmptyList { field: String },
    /// A lower layer makes an obligation weaker than its parent does.
    #[error(
        "{item}: {field} `{child_en}` ({child_source}) is looser than `{parent_en}` set by layer `{parent_layer}` ({parent_source})"
    )]
    Loosened {
        item: String,
        field: ItemField,
        child_zh: String,
        child_en: String,
        child_source: String,
        parent_zh: String,
        parent_en: String,
        parent_layer: String,
        parent_source: String,
    },
    #[cfg(feature = "toml")]
    /// An item, amendment or parameter value none of whose sources binds the units of its layer
    /// (another province's law, a sample, a district's text in a city layer).
    #[error(
        "{subject} rests on no text that binds this layer's units ({docs}); mark the item `advisory = true`, or cite a binding text"
    )]
    NotBinding { subject: String, docs: String },
    #[cfg(feature = "toml")]
    /// An item marked advisory although one of its sources binds.
    #[error("item `{item}` is marked advisory, but a source binds this layer ({docs}): it is an obligation")]
    AdvisoryButBinding { item: String, docs: String },
    #[cfg(feature = "toml")]
    /// A unit kind reached by an item or amendment that none of its binding sources governs.
    #[error("{subject}: no binding source ({docs}) governs units of kind `{unit:?}`")]
    ScopeNotGoverned { subject: String, unit: crate::model::UnitKind, docs: String },
    #[cfg(feature = "toml")]
    /// An item or value dated before every binding source it rests on is in force.
    #[error("{subject} applies from {from}, before its sources are in force ({in_force})")]
    BeforeInForce { subject: String, from: String, in_force: String },
    #[cfg(feature = "toml")]
    /// An item or amendment in force after every binding source it rests on was repealed.
    #[error("{subject} stays in force after its sources were repealed (the last on {until})")]
    SourceRepealed { subject: String, until: String },
    #[cfg(feature = "toml")]
    /// `adopt = true` outside a district layer, or without a district's text as basis.
    #[error("only a district layer adopts advisory items, citing the district's own catalogue")]
    BadAdoption,
    #[cfg(feature = "toml")]
    /// A basis cites a document whose text is not held under `rules/sources/`.
    #[error("no clause texts are held for document `{doc}` (add rules/sources/{doc}.toml)")]
    NoSourceText { doc: String },
    #[cfg(feature = "toml")]
    /// A layer whose parent chain skips a higher layer that refines that parent on the same
    /// days (a district catalogue hung under the national layer, past the city's statute and
    /// policy): its units would escape the rules that bind them.
    #[error(
        "layer `{layer}` descends from `{parent}` but skips `{skipped}`, which refines `{parent}` on the same days: make `{skipped}` (or a layer under it) its parent"
    )]
    LayerSkipsLevel { layer: String, parent: String, skipped: String },
    #[cfg(feature = "toml")]
    /// A basis cites a clause that the document's text does not have.
    #[error("document `{doc}` has no clause `{article}` in its text under rules/sources/")]
    UnknownClause { doc: String, article: String },
    /// Two definitions of one parameter.
    #[error("parameter `{id}` is defined twice")]
    ParameterDuplicate { id: String },
    /// An override of a parameter no ancestor defines.
    #[error("unknown parameter `{id}`: no ancestor layer defines it")]
    ParameterUnknown { id: String },
    /// A definition without its name, kind or tightening direction.
    #[error("parameter `{id}` is defined without `{missing}`")]
    ParameterIncomplete { id: String, missing: String },
    /// An override that changes the kind or direction fixed by the definition.
    #[error("parameter `{id}` is already defined by layer `{layer}`; an override gives only `id` and `values`")]
    ParameterRedefined { id: String, layer: String },
    /// A value that does not fit the parameter's kind.
    #[error("parameter `{id}`: {message}")]
    ParameterBadValue { id: String, message: String },
    /// Two values of one parameter on the same days.
    #[error("parameter `{id}` has two values for {date}")]
    ParameterOverlap { id: String, date: String },
    /// Days with no value between two values.
    #[error("parameter `{id}` has no value between {after} and {before}")]
    ParameterGap { id: String, after: String, before: String },
    /// Holiday breaks in a file without a `[calendar]` table.
    #[error("the file has `[[breaks]]` but no `[calendar]` table naming the year")]
    CalendarWithoutHeader,
    /// Two files for one notice year.
    #[error("the calendar of {year} is given twice")]
    CalendarDuplicateYear { year: i32 },
    /// Notice years that do not follow each other.
    #[error("no calendar between {after} and {before}: the years must be consecutive")]
    CalendarYearGap { after: i32, before: i32 },
    /// A date listed twice (two breaks, or both off and working).
    #[error("{date} is listed twice in the calendar")]
    CalendarDayConflict { date: String },
    /// A make-up working day that is not a Saturday or Sunday.
    #[error("make-up working day {date} is not a Saturday or Sunday")]
    CalendarWorkdayNotWeekend { date: String },
    /// A statutory day missing from the break's days off.
    #[error("statutory day {date} of {festival} is not among the days off")]
    CalendarStatutoryNotOff { date: String, festival: String },
    /// A festival with the wrong number of statutory days for the law in force.
    #[error("{year}: {festival} has {found} statutory day(s), the holiday law gives {expected}")]
    CalendarFestivalCount { year: i32, festival: String, expected: u32, found: u32 },
    /// A festival of the holiday law that the year does not list.
    #[error("{year}: no statutory day of {festival}")]
    CalendarFestivalMissing { year: i32, festival: String },
    /// A festival the holiday law does not know.
    #[error("`{festival}` is not a festival of the holiday law in force")]
    CalendarUnknownFestival { festival: String },
    /// A date outside the notice year (and its December before).
    #[error("{date} is outside the {year} notice")]
    CalendarDateOutOfYear { date: String, year: i32 },
    /// A year no `[[festival_rules]]` governs.
    #[error("no festival rules govern {year}")]
    CalendarNoFestivalRule { year: i32 },
    /// Two definitions of one submission family.
    #[error("submission family `{id}` is defined twice")]
    FamilyDuplicate { id: String },
    /// Two `[calendar_settings]` tables.
    #[error("`[calendar_settings]` is given more than once")]
    CalendarSettingsDuplicate,
    /// A lower layer's value that is looser than the ancestor's.
    #[error("parameter `{id}`: {child} is looser than {parent} set by layer `{parent_layer}` ({parent_source})")]
    ParameterLoosened { id: String, child: String, parent: String, parent_layer: String, parent_source: String },
    /// Two scoring schemes with one id.
    #[error("scoring scheme `{id}` is declared twice")]
    ScoringDuplicateScheme { id: String },
    /// Two scoring schemes in force for the same place on the same day.
    #[error("scoring schemes `{id}` and `{other}` are both in force for {place} from {from}")]
    ScoringOverlap { id: String, other: String, place: String, from: String },
    /// Grade bands that are not strictly descending, do not reach 0, or exceed full marks.
    #[error("scoring scheme `{id}`: {message}")]
    ScoringBadGrades { id: String, message: String, message_zh: String },
    /// One finding type given two deductions in one scheme.
    #[error("scoring scheme `{id}` gives finding `{finding}` more than one deduction")]
    ScoringDuplicateFinding { id: String, finding: String },
}

/// Every rule-problem code, in the order they were introduced. Append only.
pub const RULE_PROBLEM_CODES: &[&str] = &[
    "RULES_READ_FAILED",
    "RULES_SYNTAX",
    "RULES_UNKNOWN_KEY",
    "RULES_MISSING_KEY",
    "RULES_INVALID_VALUE",
    "RULES_MISSING_LEGAL_BASIS",
    "RULES_UNKNOWN_DOCUMENT",
    "RULES_DUPLICATE_DOCUMENT",
    "RULES_INVALID_RANGE",
    "RULES_LOCAL_DEFAULT_WITHOUT_NOTE",
    "LAYER_MISSING",
    "LAYER_DUPLICATE",
    "LAYER_UNKNOWN_PARENT",
    "LAYER_PARENT_RULE",
    "LAYER_CYCLE",
    "LAYER_LEVEL_ORDER",
    "LAYER_OUTSIDE_PARENT",
    "LAYER_OVERLAP",
    "LAYER_DISTRICT",
    "CATALOGUE_DUPLICATE_ITEM",
    "CATALOGUE_ITEM_GAP",
    "CATALOGUE_COMMUNITY_NAME_MISSING",
    "CATALOGUE_UNKNOWN_ITEM",
    "CATALOGUE_OUTSIDE_LAYER",
    "CATALOGUE_BAD_SELECTOR",
    "CATALOGUE_EMPTY_LIST",
    "CATALOGUE_LOOSENED_CADENCE",
    "CATALOGUE_LOOSENED_DEADLINE",
    "CATALOGUE_LOOSENED_DISPLAY",
    "CATALOGUE_LOOSENED_FILING",
    "CATALOGUE_LOOSENED_SCOPE",
    "CATALOGUE_LOOSENED_CHANNELS",
    "PARAMETER_DUPLICATE",
    "PARAMETER_UNKNOWN",
    "PARAMETER_INCOMPLETE",
    "PARAMETER_REDEFINED",
    "PARAMETER_BAD_VALUE",
    "PARAMETER_OVERLAP",
    "PARAMETER_GAP",
    "PARAMETER_LOOSENED",
    "CALENDAR_WITHOUT_HEADER",
    "CALENDAR_DUPLICATE_YEAR",
    "CALENDAR_YEAR_GAP",
    "CALENDAR_DAY_CONFLICT",
    "CALENDAR_WORKDAY_NOT_WEEKEND",
    "CALENDAR_STATUTORY_NOT_OFF",
    "CALENDAR_FESTIVAL_COUNT",
    "CALENDAR_FESTIVAL_MISSING",
    "CALENDAR_UNKNOWN_FESTIVAL",
    "CALENDAR_DATE_OUT_OF_YEAR",
    "CALENDAR_NO_FESTIVAL_RULE",
    "CALENDAR_SETTINGS_DUPLICATE",
    "RULES_DUPLICATE_FAMILY",
    "SCORING_DUPLICATE_SCHEME",
    "SCORING_OVERLAP",
    "SCORING_BAD_GRADES",
    "SCORING_DUPLICATE_FINDING",
    "RULES_TOML_UNAVAILABLE",
    "RULES_NOT_BINDING",
    "RULES_ADVISORY_BINDING",
    "RULES_SCOPE_NOT_GOVERNED",
    "RULES_BEFORE_IN_FORCE",
    "RULES_BAD_ADOPTION",
    "RULES_NO_SOURCE_TEXT",
    "RULES_UNKNOWN_CLAUSE",
    "RULES_SOURCE_REPEALED",
    "LAYER_SKIPS_LEVEL",
];

impl RuleProblem {
    /// The stable machine code.
    ///
    /// ```
    /// use cunwu_core::rules::RuleProblem;
    /// assert_eq!(RuleProblem::UnknownItem { id: "x".into() }.code(), "CATALOGUE_UNKNOWN_ITEM");
    /// ```
    pub fn code(&self) -> &'static str {
        use RuleProblem::*;
        match self {
            ReadFailed { .. } => "RULES_READ_FAILED",
            Syntax { .. } | JsonSyntax { .. } => "RULES_SYNTAX",
            TomlUnavailable => "RULES_TOML_UNAVAILABLE",
            UnknownKey { .. } => "RULES_UNKNOWN_KEY",
            MissingKey { .. } => "RULES_MISSING_KEY",
            InvalidValue { .. } => "RULES_INVALID_VALUE",
            MissingLegalBasis { .. } => "RULES_MISSING_LEGAL_BASIS",
            UnknownDocument { .. } => "RULES_UNKNOWN_DOCUMENT",
            DuplicateDocument { .. } => "RULES_DUPLICATE_DOCUMENT",
            InvalidRange { .. } => "RULES_INVALID_RANGE",
            LocalDefaultWithoutNote { .. } => "RULES_LOCAL_DEFAULT_WITHOUT_NOTE",
            LayerMissing => "LAYER_MISSING",
            LayerDuplicate { .. } => "LAYER_DUPLICATE",
            LayerUnknownParent { .. } => "LAYER_UNKNOWN_PARENT",
            LayerParentRule { .. } => "LAYER_PARENT_RULE",
            LayerCycle { .. } => "LAYER_CYCLE",
            LayerLevelOrder { .. } => "LAYER_LEVEL_ORDER",
            LayerOutsideParent { .. } => "LAYER_OUTSIDE_PARENT",
            LayerOverlap { .. } => "LAYER_OVERLAP",
            LayerDistrict { .. } => "LAYER_DISTRICT",
            DuplicateItem { .. } => "CATALOGUE_DUPLICATE_ITEM",
            ItemGap { .. } => "CATALOGUE_ITEM_GAP",
            CommunityNameMissing { .. } => "CATALOGUE_COMMUNITY_NAME_MISSING",
            UnknownItem { .. } => "CATALOGUE_UNKNOWN_ITEM",
            OutsideLayer { .. } => "CATALOGUE_OUTSIDE_LAYER",
            BadSelector => "CATALOGUE_BAD_SELECTOR",
            EmptyList { .. } => "CATALOGUE_EMPTY_LIST",
            Loosened { field, .. } => match field {
                ItemField::Cadence => "CATALOGUE_LOOSENED_CADENCE",
                ItemField::WithinDays => "CATALOGUE_LOOSENED_DEADLINE",
                ItemField::Display => "CATALOGUE_LOOSENED_DISPLAY",
                ItemField::FiledWithTownship => "CATALOGUE_LOOSENED_FILING",
                ItemField::Scope | ItemField::Kind => "CATALOGUE_LOOSENED_SCOPE",
                ItemField::Channels => "CATALOGUE_LOOSENED_CHANNELS",
            },
            ParameterDuplicate { .. } => "PARAMETER_DUPLICATE",
            ParameterUnknown { .. } => "PARAMETER_UNKNOWN",
            ParameterIncomplete { .. } => "PARAMETER_INCOMPLETE",
            ParameterRedefined { .. } => "PARAMETER_REDEFINED",
            ParameterBadValue { .. } => "PARAMETER_BAD_VALUE",
            ParameterOverlap { .. } => "PARAMETER_OVERLAP",
            ParameterGap { .. } => "PARAMETER_GAP",
            ParameterLoosened { .. } => "PARAMETER_LOOSENED",
            CalendarWithoutHeader => "CALENDAR_WITHOUT_HEADER",
            CalendarDuplicateYear { .. } => "CALENDAR_DUPLICATE_YEAR",
            CalendarYearGap { .. } => "CALENDAR_YEAR_GAP",
            CalendarDayConflict { .. } => "CALENDAR_DAY_CONFLICT",
            CalendarWorkdayNotWeekend { .. } => "CALENDAR_WORKDAY_NOT_WEEKEND",
            CalendarStatutoryNotOff { .. } => "CALENDAR_STATUTORY_NOT_OFF",
            CalendarFestivalCount { .. } => "CALENDAR_FESTIVAL_COUNT",
            CalendarFestivalMissing { .. } => "CALENDAR_FESTIVAL_MISSING",
            CalendarUnknownFestival { .. } => "CALENDAR_UNKNOWN_FESTIVAL",
            CalendarDateOutOfYear { .. } => "CALENDAR_DATE_OUT_OF_YEAR",
            CalendarNoFestivalRule { .. } => "CALENDAR_NO_FESTIVAL_RULE",
            CalendarSettingsDuplicate => "CALENDAR_SETTINGS_DUPLICATE",
            FamilyDuplicate { .. } => "RULES_DUPLICATE_FAMILY",
            ScoringDuplicateScheme { .. } => "SCORING_DUPLICATE_SCHEME",
            ScoringOverlap { .. } => "SCORING_OVERLAP",
            ScoringBadGrades { .. } => "SCORING_BAD_GRADES",
            ScoringDuplicateFinding { .. } => "SCORING_DUPLICATE_FINDING",
            #[cfg(feature = "toml")]
            NotBinding { .. } => "RULES_NOT_BINDING",
            #[cfg(feature = "toml")]
            AdvisoryButBinding { .. } => "RULES_ADVISORY_BINDING",
            #[cfg(feature = "toml")]
            ScopeNotGoverned { .. } => "RULES_SCOPE_NOT_GOVERNED",
            #[cfg(feature = "toml")]
            BeforeInForce { .. } => "RULES_BEFORE_IN_FORCE",
            #[cfg(feature = "toml")]
            BadAdoption => "RULES_BAD_ADOPTION",
            #[cfg(feature = "toml")]
            NoSourceText { .. } => "RULES_NO_SOURCE_TEXT",
            #[cfg(feature = "toml")]
            UnknownClause { .. } => "RULES_UNKNOWN_CLAUSE",
            #[cfg(feature = "toml")]
            SourceRepealed { .. } => "RULES_SOURCE_REPEALED",
            #[cfg(feature = "toml")]
            LayerSkipsLevel { .. } => "LAYER_SKIPS_LEVEL",
        }
    }

    /// Errors block loading; warnings are reported and the rules still load.
    pub fn severity(&self) -> Severity {
        match self {
            RuleProblem::ItemGap { .. } | RuleProblem::CommunityNameMissing { .. } => Severity::Warning,
            #[cfg(feature = "toml")]
            RuleProblem::AdvisoryButBinding { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// The message in English (the same as `Display`).
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The message in Chinese (what it concerns named in Chinese too: 事项、修订、参数…).
    pub fn message_zh(&self) -> String {
        let text = self.message_zh_with_subject();
        SUBJECTS_ZH.iter().fold(text, |t, (en, zh)| t.replace(en, zh))
    }

    fn message_zh_with_subject(&self) -> String {
        use RuleProblem::*;
        match self {
            ReadFailed { message_zh, .. } => format!("无法读取文件：{message_zh}"),
            Syntax { message } => format!("TOML 语法错误：{message}"),
            JsonSyntax { message } => format!("JSON 语法错误：{message}"),
            TomlUnavailable => {
                "此版本（浏览器包）不读取 TOML 规则文件：请先用 `cunwu rules compile` 转成 JSON".to_string()
            }
            UnknownKey { key, .. } => format!("未知字段 `{key}`"),
            MissingKey { key } => format!("缺少必填字段 `{key}`"),
            InvalidValue { message } => format!("取值无效：{message}"),
            MissingLegalBasis { subject } => format!("{subject} 没有法律或政策依据"),
            UnknownDocument { doc } => format!("未声明的文件 `{doc}`"),
            DuplicateDocument { id } => format!("文件 `{id}` 重复声明"),
            InvalidRange { from, until } => format!("有效期终止日 {until} 早于起始日 {from}"),
            LocalDefaultWithoutNote { subject } => {
                format!("{subject} 标为本地默认值，但没有 `note` 说明理由")
            }
            LayerMissing => "文件含有事项、修订或参数，但没有 `[layer]` 表".to_string(),
            LayerDuplicate { id } => format!("层级 `{id}` 重复声明"),
            LayerUnknownParent { layer, parent } => {
                format!("层级 `{layer}` 的上级 `{parent}` 不存在")
            }
            LayerParentRule { layer, level, expectation } => {
                let rule = if expectation.starts_with("must not") { "不得有上级" } else { "必须指明上级" };
                format!("层级 `{layer}`（{level}）{rule}")
            }
            LayerCycle { chain } => format!("层级的上下级关系形成循环：{chain}"),
            LayerLevelOrder { layer, level, parent, parent_level } => {
                format!("层级 `{layer}`（{level}）必须低于其上级 `{parent}`（{parent_level}）")
            }
            LayerOutsideParent { layer, parent } => {
                format!("层级 `{layer}` 的有效期超出其上级 `{parent}` 的有效期")
            }
            LayerOverlap { layer, other, place, from } => {
                format!("层级 `{layer}` 与 `{other}` 自 {from} 起同时对 {place} 有效")
            }
            LayerDistrict { layer, message } => {
                format!("层级 `{layer}`：区县设置有误（{message}）")
            }
            DuplicateItem { id } => format!("事项 `{id}` 在重叠的日期内重复定义"),
            ItemGap { id, after, before } => {
                format!("事项 `{id}` 在 {after} 与 {before} 之间不生效")
            }
            CommunityNameMissing { id, name } => {
                format!(
                    "事项 `{id}` 适用于社区，但其名称“{name}”说的是村，且没有 `community_name`（社区公开栏上的名称）"
                )
            }
            UnknownItem { id } => format!("未知事项 `{id}`：上级层级中没有定义"),
            OutsideLayer { subject } => format!("{subject} 的有效期超出所在层级的有效期"),
            BadSelector => "修订必须且只能用 `items`、`kinds` 或 `all = true` 之一选择事项".to_string(),
            EmptyList { field } => format!("`{field}` 不能为空"),
            Loosened { item, field, child_zh, child_source, parent_zh, parent_layer, parent_source, .. } => format!(
                "{item}：{}“{child_zh}”（{child_source}）比上级层级 `{parent_layer}`（{parent_source}）规定的“{parent_zh}”更宽松，下级只能从严",
                field_name_zh(*field)
            ),
            ParameterDuplicate { id } => format!("参数 `{id}` 重复定义"),
            ParameterUnknown { id } => format!("未知参数 `{id}`：上级层级中没有定义"),
            ParameterIncomplete { id, missing } => format!("参数 `{id}` 的定义缺少 `{missing}`"),
            ParameterRedefined { id, layer } => {
                format!("参数 `{id}` 已由层级 `{layer}` 定义；覆盖时只能写 `id` 和 `values`")
            }
            ParameterBadValue { id, message } => format!("参数 `{id}` 取值无效：{message}"),
            ParameterOverlap { id, date } => format!("参数 `{id}` 在 {date} 有两个取值"),
            ParameterGap { id, after, before } => {
                format!("参数 `{id}` 在 {after} 与 {before} 之间没有取值")
            }
            CalendarWithoutHeader => "文件有 `[[breaks]]` 但没有注明年份的 `[calendar]` 表".to_string(),
            CalendarDuplicateYear { year } => format!("{year}年的放假安排重复录入"),
            CalendarYearGap { after, before } => format!("{after}年与{before}年之间缺少放假安排，年份必须连续"),
            CalendarDayConflict { date } => format!("{date} 在放假安排中重复出现（分属两个假期，或既放假又上班）"),
            CalendarWorkdayNotWeekend { date } => format!("调休上班日 {date} 不是周六或周日"),
            CalendarStatutoryNotOff { date, festival } => format!("{festival}的法定假日 {date} 不在放假日期中"),
            CalendarFestivalCount { year, festival, expected, found } => {
                format!("{year}年{festival}列有{found}天法定假日，放假办法规定为{expected}天")
            }
            CalendarFestivalMissing { year, festival } => format!("{year}年缺少{festival}的法定假日"),
            CalendarUnknownFestival { festival } => format!("`{festival}` 不是现行放假办法中的节日"),
            CalendarDateOutOfYear { date, year } => format!("{date} 不属于{year}年的放假安排"),
            CalendarNoFestivalRule { year } => format!("没有适用于{year}年的节日天数规定"),
            CalendarSettingsDuplicate => "`[calendar_settings]` 重复出现".to_string(),
            FamilyDuplicate { id } => format!("提交类型 `{id}` 重复定义"),
            ScoringDuplicateScheme { id } => format!("考评方案 `{id}` 重复定义"),
            ScoringOverlap { id, other, place, from } => {
                format!("考评方案 `{id}` 与 `{other}` 自{from}起同时适用于{place}")
            }
            ScoringBadGrades { id, message_zh, .. } => format!("考评方案 `{id}`：{message_zh}"),
            ScoringDuplicateFinding { id, finding } => {
                format!("考评方案 `{id}` 对问题类型 `{finding}` 规定了不止一项扣分")
            }
            #[cfg(feature = "toml")]
            NotBinding { subject, docs } => format!(
                "{subject} 所依据的文件（{docs}）对本层级的单位没有约束力：请改引有约束力的文件，或把事项标为 `advisory = true`（建议公开）"
            ),
            #[cfg(feature = "toml")]
            AdvisoryButBinding { item, docs } => {
                format!("事项 `{item}` 标为建议公开，但其依据（{docs}）对本层级有约束力，它是法定义务")
            }
            #[cfg(feature = "toml")]
            ScopeNotGoverned { subject, unit, docs } => {
                format!("{subject}：其有约束力的依据（{docs}）不调整“{}”，不能适用于该类单位", unit.name_zh())
            }
            #[cfg(feature = "toml")]
            BeforeInForce { subject, from, in_force } => {
                format!("{subject} 自 {from} 起适用，早于其依据的施行日期（{in_force}）")
            }
            #[cfg(feature = "toml")]
            BadAdoption => "只有区县层级可以采纳建议事项，且须引用本区县的公开目录".to_string(),
            #[cfg(feature = "toml")]
            LayerSkipsLevel { layer, parent, skipped } => format!(
                "层级 `{layer}` 以 `{parent}` 为上级，跳过了同期细化 `{parent}` 的 `{skipped}`：其单位将不受该层级约束；请以 `{skipped}`（或其下级）为上级"
            ),
            #[cfg(feature = "toml")]
            SourceRepealed { subject, until } => {
                format!("{subject} 所依据的文件均已废止（最晚于 {until}），不能继续有效：请注明 `until` 或改引现行文件")
            }
            #[cfg(feature = "toml")]
            NoSourceText { doc } => format!("文件 `{doc}` 没有条文文本（请添加 rules/sources/{doc}.toml）"),
            #[cfg(feature = "toml")]
            UnknownClause { doc, article } => format!("文件 `{doc}` 的条文文本中没有“{article}”"),
            ParameterLoosened { id, child, parent, parent_layer, parent_source } => format!(
                "参数 `{id}`：{child} 比上级层级 `{parent_layer}`（{parent_source}）规定的 {parent} 更宽松，下级只能从严"
            ),
        }
    }

    /// A fix, in Chinese and English, where one is known.
    pub fn hint(&self) -> Option<(String, String)> {
        use RuleProblem::*;
        match self {
            UnknownKey { expected, .. } if !expected.is_empty() => Some((
                format!("可用的字段：{}", expected.join("、")),
                format!("expected one of: {}", expected.join(", ")),
            )),
            MissingLegalBasis { .. } => Some((
                "加上 `basis = [{ doc = \"文件id\", article = \"第几条\" }]`，或在无据可查时标注 `local_default` 并写明 `note`".into(),
                "add `basis = [{ doc = \"document-id\", article = \"article\" }]`, or mark it a local default with a `note`".into(),
            )),
            UnknownDocument { .. } => Some((
                "在任一规则文件中用 `[[documents]]` 声明该文件".into(),
                "declare it in a `[[documents]]` table of any rule file".into(),
            )),
            Loosened { .. } | ParameterLoosened { .. } => Some((
                "下级层级只能增加或从严；如上级规定已变更，请修改上级层级并注明新依据".into(),
                "a lower layer may only add or tighten; if the higher rule changed, change that layer with its new source".into(),
            )),
            #[cfg(feature = "toml")]
            NotBinding { .. } => Some((
                "外省法规、样本或地方惯例不约束重庆的单位：事项写 `advisory = true`（只列为建议公开，不作评判），区县可在本区县目录中用 `adopt = true` 采纳".into(),
                "other provinces' laws, samples and practice do not bind Chongqing units: write `advisory = true` (listed, never judged); a district may `adopt = true` it in its own catalogue".into(),
            )),
            #[cfg(feature = "toml")]
            ScopeNotGoverned { .. } => Some((
                "在 documents.toml 的 `governs` 中核对该文件调整的单位类别，或引用调整该类单位的文件".into(),
                "check the document's `governs` in documents.toml, or cite a text that governs that kind of unit".into(),
            )),
            #[cfg(feature = "toml")]
            NoSourceText { .. } | UnknownClause { .. } => Some((
                "在 rules/sources/<文件id>.toml 中收录所引条款的文本（原文或摘要）".into(),
                "add the cited clause's text (verbatim or summary) to rules/sources/<document id>.toml".into(),
            )),
            UnknownItem { .. } => Some((
                "新增事项请写在 `[[items]]` 中；修订只能针对上级层级的事项".into(),
                "add new items under `[[items]]`; amendments only change items of ancestor layers".into(),
            )),
            CommunityNameMissing { .. } => Some((
                "加上 `community_name = \"…\"`，写社区公开栏上的名称（社区、居民）".into(),
                "add `community_name = \"…\"`: the name on a community's board (社区、居民)".into(),
            )),
            ParameterGap { .. } | ItemGap { .. } => Some((
                "让下一个取值的 `from` 紧接上一个的 `until`，或删除 `until`".into(),
                "start the next value the day after `until`, or remove `until`".into(),
            )),
            _ => None,
        }
    }
}

/// The English words naming what a problem concerns (the `subject` of a problem), as they are
/// said in Chinese.
const SUBJECTS_ZH: [(&str, &str); 10] = [
    ("festival rule", "节日规则"),
    ("calendar settings", "日历设置"),
    ("amendment", "修订"),
    ("item `", "事项 `"),
    ("parameter `", "参数 `"),
    ("layer `", "层级 `"),
    ("family `", "提交类别 `"),
    ("scoring scheme `", "评分方案 `"),
    ("value from ", "取值自 "),
    (" (basis ", " (依据 "),
];

/// Chinese name of an item field.
pub fn field_name_zh(field: ItemField) -> &'static str {
    match field {
        ItemField::Kind => "类别",
        ItemField::Scope => "适用范围",
        ItemField::Cadence => "公开频次",
        ItemField::WithinDays => "随时公开期限",
        ItemField::Display => "公开时限",
        ItemField::Channels => "公开方式",
        ItemField::FiledWithTownship => "报乡镇备案",
    }
}
