//! The NGO directory's vocabulary: the 28 oblasti, fields of work, legal forms and statuses,
//! each with a stable code (in URLs and the store) and its names in both languages.
use super::Lang;
use serde::{Deserialize, Serialize};

/// One of Bulgaria's 28 oblasti: code (as in URLs), names, and population in thousands
/// (NSI 2021 census, rounded), which the demo data is weighted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub code: &'static str,
    pub bg: &'static str,
    pub en: &'static str,
    pub population: u32,
    /// Municipalities the demo data places NGOs in (the administrative centre first).
    pub municipalities: &'static [&'static str],
}

impl Region {
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Bg => self.bg,
            Lang::En => self.en,
        }
    }

    pub fn by_code(code: &str) -> Option<&'static Region> {
        REGIONS.iter().find(|region| region.code == code)
    }
}

macro_rules! region {
    ($code:literal, $bg:literal, $en:literal, $population:literal, [$($m:literal),+]) => {
        Region { code: $code, bg: $bg, en: $en, population: $population, municipalities: &[$($m),+] }
    };
}

pub const REGIONS: [Region; 28] = [
    region!(
        "blagoevgrad",
        "Благоевград",
        "Blagoevgrad",
        290,
        ["Благоевград", "Петрич", "Сандански", "Гоце Делчев", "Банско"]
    ),
    region!(
        "burgas",
        "Бургас",
        "Burgas",
        380,
        ["Бургас", "Несебър", "Поморие", "Созопол", "Айтос"]
    ),
    region!(
        "varna",
        "Варна",
        "Varna",
        440,
        ["Варна", "Провадия", "Девня", "Белослав"]
    ),
    region!(
        "veliko-tarnovo",
        "Велико Търново",
        "Veliko Tarnovo",
        230,
        ["Велико Търново", "Горна Оряховица", "Свищов", "Елена"]
    ),
    region!("vidin", "Видин", "Vidin", 80, ["Видин", "Белоградчик", "Кула"]),
    region!(
        "vratsa",
        "Враца",
        "Vratsa",
        150,
        ["Враца", "Мездра", "Козлодуй", "Бяла Слатина"]
    ),
    region!(
        "gabrovo",
        "Габрово",
        "Gabrovo",
        105,
        ["Габрово", "Севлиево", "Трявна", "Дряново"]
    ),
    region!(
        "dobrich",
        "Добрич",
        "Dobrich",
        160,
        ["Добрич", "Балчик", "Каварна", "Генерал Тошево"]
    ),
    region!(
        "kardzhali",
        "Кърджали",
        "Kardzhali",
        140,
        ["Кърджали", "Момчилград", "Крумовград", "Ардино"]
    ),
    region!(
        "kyustendil",
        "Кюстендил",
        "Kyustendil",
        110,
        ["Кюстендил", "Дупница", "Сапарева баня"]
    ),
    region!(
        "lovech",
        "Ловеч",
        "Lovech",
        115,
        ["Ловеч", "Троян", "Тетевен", "Луковит"]
    ),
    region!(
        "montana",
        "Монтана",
        "Montana",
        120,
        ["Монтана", "Лом", "Берковица", "Вършец"]
    ),
    region!(
        "pazardzhik",
        "Пазарджик",
        "Pazardzhik",
        230,
        ["Пазарджик", "Велинград", "Панагюрище", "Пещера"]
    ),
    region!("pernik", "Перник", "Pernik", 115, ["Перник", "Радомир", "Брезник"]),
    region!(
        "pleven",
        "Плевен",
        "Pleven",
        225,
        ["Плевен", "Левски", "Червен бряг", "Никопол"]
    ),
    region!(
        "plovdiv",
        "Пловдив",
        "Plovdiv",
        635,
        ["Пловдив", "Асеновград", "Карлово", "Първомай", "Хисаря"]
    ),
    region!("razgrad", "Разград", "Razgrad", 100, ["Разград", "Исперих", "Кубрат"]),
    region!("ruse", "Русе", "Ruse", 190, ["Русе", "Бяла", "Две могили"]),
    region!(
        "silistra",
        "Силистра",
        "Silistra",
        95,
        ["Силистра", "Тутракан", "Дулово"]
    ),
    region!("sliven", "Сливен", "Sliven", 170, ["Сливен", "Нова Загора", "Котел"]),
    region!(
        "smolyan",
        "Смолян",
        "Smolyan",
        95,
        ["Смолян", "Мадан", "Чепеларе", "Девин"]
    ),
    region!("sofia-city", "София (столица)", "Sofia City", 1275, ["Столична"]),
    region!(
        "sofia",
        "София",
        "Sofia Province",
        225,
        ["Самоков", "Ботевград", "Ихтиман", "Своге", "Костинброд"]
    ),
    region!(
        "stara-zagora",
        "Стара Загора",
        "Stara Zagora",
        300,
        ["Стара Загора", "Казанлък", "Чирпан", "Раднево"]
    ),
    region!(
        "targovishte",
        "Търговище",
        "Targovishte",
        100,
        ["Търговище", "Попово", "Омуртаг"]
    ),
    region!(
        "haskovo",
        "Хасково",
        "Haskovo",
        210,
        ["Хасково", "Димитровград", "Харманли", "Свиленград"]
    ),
    region!(
        "shumen",
        "Шумен",
        "Shumen",
        150,
        ["Шумен", "Нови пазар", "Велики Преслав"]
    ),
    region!("yambol", "Ямбол", "Yambol", 110, ["Ямбол", "Елхово", "Тунджа"]),
];

/// What an NGO works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    ChildrenYouth,
    Education,
    Culture,
    SocialServices,
    Health,
    Environment,
    HumanRights,
    RefugeesMigrants,
    Disability,
    CommunityDevelopment,
    Sports,
    AnimalWelfare,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::ChildrenYouth,
        Field::Education,
        Field::Culture,
        Field::SocialServices,
        Field::Health,
        Field::Environment,
        Field::HumanRights,
        Field::RefugeesMigrants,
        Field::Disability,
        Field::CommunityDevelopment,
        Field::Sports,
        Field::AnimalWelfare,
    ];

    /// The field's bit in a set of fields (its place in [`Field::ALL`]).
    pub fn bit(self) -> i64 {
        let place = Field::ALL.iter().position(|field| *field == self).unwrap_or(0);
        1 << place
    }

    /// The bits of `fields`.
    pub fn mask(fields: &[Field]) -> i64 {
        fields.iter().fold(0, |mask, field| mask | field.bit())
    }

    pub fn code(self) -> &'static str {
        match self {
            Field::ChildrenYouth => "children-youth",
            Field::Education => "education",
            Field::Culture => "culture",
            Field::SocialServices => "social-services",
            Field::Health => "health",
            Field::Environment => "environment",
            Field::HumanRights => "human-rights",
            Field::RefugeesMigrants => "refugees-migrants",
            Field::Disability => "disability",
            Field::CommunityDevelopment => "community-development",
            Field::Sports => "sports",
            Field::AnimalWelfare => "animal-welfare",
        }
    }

    pub fn parse(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (bg, en) = match self {
            Field::ChildrenYouth => ("Деца и младежи", "Children and youth"),
            Field::Education => ("Образование", "Education"),
            Field::Culture => ("Култура", "Culture"),
            Field::SocialServices => ("Социални услуги", "Social services"),
            Field::Health => ("Здраве", "Health"),
            Field::Environment => ("Околна среда", "Environment"),
            Field::HumanRights => ("Права на човека", "Human rights"),
            Field::RefugeesMigrants => ("Бежанци и мигранти", "Refugees and migrants"),
            Field::Disability => ("Хора с увреждания", "People with disabilities"),
            Field::CommunityDevelopment => ("Местно развитие", "Community development"),
            Field::Sports => ("Спорт", "Sports"),
            Field::AnimalWelfare => ("Защита на животните", "Animal welfare"),
        };
        match lang {
            Lang::Bg => bg,
            Lang::En => en,
        }
    }
}

/// The legal form of a non-profit under Bulgarian law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LegalForm {
    /// Сдружение (association).
    Association,
    /// Фондация.
    Foundation,
    /// Народно читалище (community cultural centre).
    Chitalishte,
    Other,
}

impl LegalForm {
    pub const ALL: [LegalForm; 4] = [
        LegalForm::Association,
        LegalForm::Foundation,
        LegalForm::Chitalishte,
        LegalForm::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LegalForm::Association => "association",
            LegalForm::Foundation => "foundation",
            LegalForm::Chitalishte => "chitalishte",
            LegalForm::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<LegalForm> {
        LegalForm::ALL.into_iter().find(|form| form.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (bg, en) = match self {
            LegalForm::Association => ("Сдружение", "Association"),
            LegalForm::Foundation => ("Фондация", "Foundation"),
            LegalForm::Chitalishte => ("Читалище", "Community centre (chitalishte)"),
            LegalForm::Other => ("Друга форма", "Other form"),
        };
        match lang {
            Lang::Bg => bg,
            Lang::En => en,
        }
    }
}

/// Where an NGO stands in the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NgoStatus {
    Active,
    /// В ликвидация.
    Liquidation,
    /// Заличена.
    Deregistered,
}

impl NgoStatus {
    pub fn code(self) -> &'static str {
        match self {
            NgoStatus::Active => "active",
            NgoStatus::Liquidation => "liquidation",
            NgoStatus::Deregistered => "deregistered",
        }
    }

    pub fn parse(code: &str) -> Option<NgoStatus> {
        [NgoStatus::Active, NgoStatus::Liquidation, NgoStatus::Deregistered]
            .into_iter()
            .find(|status| status.code() == code)
    }

    pub fn name(self, lang: Lang) -> &'static str {
        let (bg, en) = match self {
            NgoStatus::Active => ("Действаща", "Active"),
            NgoStatus::Liquidation => ("В ликвидация", "In liquidation"),
            NgoStatus::Deregistered => ("Заличена", "Deregistered"),
        };
        match lang {
            Lang::Bg => bg,
            Lang::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_the_oblasti_are_28_distinct() {
        for field in Field::ALL {
            assert_eq!(Field::parse(field.code()), Some(field));
        }
        for form in LegalForm::ALL {
            assert_eq!(LegalForm::parse(form.code()), Some(form));
        }
        let mut codes: Vec<&str> = REGIONS.iter().map(|region| region.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 28);
        assert_eq!(Region::by_code("smolyan").map(|r| r.name(Lang::Bg)), Some("Смолян"));
    }
}
