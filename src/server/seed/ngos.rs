//! The demo directory: 14 427 NGOs, made the same on every machine (ChaCha8 from a fixed seed),
//! with Bulgarian names from real-sounding parts, valid ЕИК, regions weighted by population,
//! fields and legal forms in plausible proportions. The hand-written NGOs of the demo content
//! (organisers of the demo events) are among them, completed with the same generator.
use crate::domain::{Field, LegalForm, NgoStatus, REGIONS, Region, eik_check_digit, slug_of_title, transliterate};
use crate::server::store::NgoRecord;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

/// How many NGOs the demo directory has (the sector's count on its portal).
pub const DEMO_NGO_COUNT: usize = 14_427;
const SEED: u64 = 0x4e47_4f5f_4247;

/// A plural adjective and its English (plural adjectives agree with every plural noun).
const ADJECTIVES: &[(&str, &str)] = &[
    ("Зелени", "Green"),
    ("Млади", "Young"),
    ("Добри", "Good"),
    ("Светли", "Bright"),
    ("Нови", "New"),
    ("Отворени", "Open"),
    ("Активни", "Active"),
    ("Свободни", "Free"),
    ("Родопски", "Rhodope"),
    ("Дунавски", "Danube"),
    ("Пирински", "Pirin"),
    ("Балкански", "Balkan"),
    ("Черноморски", "Black Sea"),
    ("Тракийски", "Thracian"),
    ("Добруджански", "Dobrudzha"),
    ("Странджански", "Strandzha"),
    ("Северозападни", "North-West"),
    ("Граждански", "Civic"),
];

const NOUNS: &[(&str, &str)] = &[
    ("хоризонти", "Horizons"),
    ("мостове", "Bridges"),
    ("граждани", "Citizens"),
    ("съседи", "Neighbours"),
    ("пътеки", "Trails"),
    ("инициативи", "Initiatives"),
    ("гласове", "Voices"),
    ("посоки", "Directions"),
    ("криле", "Wings"),
    ("корени", "Roots"),
    ("искри", "Sparks"),
    ("сърца", "Hearts"),
    ("ръце", "Hands"),
    ("общности", "Communities"),
];

/// A cause in a name („Център за …“) and the field it belongs to.
const CAUSES: &[(&str, &str, Field)] = &[
    ("гражданско участие", "Civic Participation", Field::CommunityDevelopment),
    ("устойчиво развитие", "Sustainable Development", Field::Environment),
    ("приобщаващо образование", "Inclusive Education", Field::Education),
    ("правата на детето", "Children's Rights", Field::ChildrenYouth),
    ("социална подкрепа", "Social Support", Field::SocialServices),
    ("психично здраве", "Mental Health", Field::Health),
    ("защита на природата", "Nature Protection", Field::Environment),
    ("интеграция на бежанци", "Refugee Integration", Field::RefugeesMigrants),
    ("достъпна среда", "Accessible Environment", Field::Disability),
    ("местно развитие", "Local Development", Field::CommunityDevelopment),
    ("детско творчество", "Children's Creativity", Field::ChildrenYouth),
    ("младежки спорт", "Youth Sport", Field::Sports),
    (
        "хуманно отношение към животните",
        "Humane Treatment of Animals",
        Field::AnimalWelfare,
    ),
    ("дигитална грамотност", "Digital Literacy", Field::Education),
    ("културно наследство", "Cultural Heritage", Field::Culture),
    ("равни възможности", "Equal Opportunities", Field::HumanRights),
    ("превенция на зависимости", "Addiction Prevention", Field::Health),
    ("независим живот", "Independent Living", Field::Disability),
];

const BODIES: &[(&str, &str)] = &[
    ("Център", "Centre"),
    ("Асоциация", "Association"),
    ("Мрежа", "Network"),
    ("Институт", "Institute"),
    ("Инициатива", "Initiative"),
];

const VIRTUES: &[(&str, &str)] = &[
    ("Надежда", "Hope"),
    ("Подкрепа", "Support"),
    ("Светлина", "Light"),
    ("Шанс", "Chance"),
    ("Заедно", "Together"),
    ("Бъдеще", "Future"),
    ("Доверие", "Trust"),
    ("Прозорец", "Window"),
    ("Път", "Path"),
    ("Полет", "Flight"),
    ("Равновесие", "Balance"),
    ("Посока", "Direction"),
];

/// Names chitalishta are named after, with their English spelling.
const PATRONS: &[(&str, &str)] = &[
    ("Христо Ботев", "Hristo Botev"),
    ("Васил Левски", "Vasil Levski"),
    ("Просвета", "Prosveta"),
    ("Светлина", "Svetlina"),
    ("Пробуда", "Probuda"),
    ("Иван Вазов", "Ivan Vazov"),
    ("Отец Паисий", "Otets Paisiy"),
    ("Развитие", "Razvitie"),
    ("Съгласие", "Saglasie"),
    ("Напредък", "Napredak"),
    ("Самообразование", "Samoobrazovanie"),
    ("Зора", "Zora"),
    ("Възраждане", "Vazrazhdane"),
    ("Любен Каравелов", "Lyuben Karavelov"),
    ("Никола Вапцаров", "Nikola Vaptsarov"),
    ("Пейо Яворов", "Peyo Yavorov"),
];

const STREETS: &[&str] = &[
    "Васил Левски",
    "Христо Ботев",
    "Цар Симеон",
    "Раковски",
    "Гурко",
    "Шипка",
    "Иван Вазов",
    "Александър Стамболийски",
    "Хан Аспарух",
    "Оборище",
    "Независимост",
];

/// What an NGO of each field says it does, in both languages.
fn mission(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::ChildrenYouth => (
            "Организираме занимания, лагери и наставничество за деца и младежи",
            "We run activities, camps and mentoring for children and young people",
        ),
        Field::Education => (
            "Подкрепяме училищата и учителите с програми за четене и учене",
            "We support schools and teachers with reading and learning programmes",
        ),
        Field::Culture => (
            "Пазим местните традиции и правим култура за всички поколения",
            "We keep local traditions alive and make culture for every generation",
        ),
        Field::SocialServices => (
            "Предоставяме социални услуги на самотни възрастни и семейства в нужда",
            "We provide social services to lonely older people and families in need",
        ),
        Field::Health => (
            "Работим за профилактика и достъп до здравни грижи",
            "We work on prevention and access to health care",
        ),
        Field::Environment => (
            "Залесяваме, чистим и пазим природата около нас",
            "We plant trees, clean up and protect the nature around us",
        ),
        Field::HumanRights => (
            "Защитаваме правата на хората и оказваме безплатна правна помощ",
            "We defend people's rights and give free legal help",
        ),
        Field::RefugeesMigrants => (
            "Помагаме на бежанци и мигранти да намерят своето място в общността",
            "We help refugees and migrants find their place in the community",
        ),
        Field::Disability => (
            "Работим за достъпна среда и независим живот на хората с увреждания",
            "We work for accessibility and independent living of people with disabilities",
        ),
        Field::CommunityDevelopment => (
            "Събираме хората около общи каузи за развитието на населеното място",
            "We bring people together around shared causes for their town",
        ),
        Field::Sports => (
            "Правим спорта достъпен за деца и възрастни",
            "We make sport accessible to children and adults",
        ),
        Field::AnimalWelfare => (
            "Грижим се за бездомни животни и ги настаняваме в нови домове",
            "We care for stray animals and find them new homes",
        ),
    }
}

/// Fields of work by how common they are among Bulgarian NGOs (weights sum to 100).
const FIELD_WEIGHTS: &[(Field, u32)] = &[
    (Field::ChildrenYouth, 18),
    (Field::Education, 15),
    (Field::Culture, 12),
    (Field::SocialServices, 12),
    (Field::CommunityDevelopment, 9),
    (Field::Environment, 8),
    (Field::Sports, 8),
    (Field::Health, 7),
    (Field::HumanRights, 4),
    (Field::Disability, 4),
    (Field::RefugeesMigrants, 2),
    (Field::AnimalWelfare, 1),
];

/// A Bulgarian place name in Latin letters as English writes it (`Горна Оряховица` →
/// `Gorna Oryahovitsa`).
fn place_in_latin(place: &str) -> String {
    transliterate(place)
        .split(' ')
        .map(|word| {
            let mut letters = word.chars();
            letters
                .next()
                .map(|first| first.to_uppercase().chain(letters).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, weight)| weight).sum();
    let mut ticket = rng.random_range(0..total);
    for (item, weight) in items {
        if ticket < *weight {
            return *item;
        }
        ticket -= weight;
    }
    items[0].0
}

/// A region by population; Sofia counts 1.6 times (NGOs gather in the capital).
fn region(rng: &mut ChaCha8Rng) -> &'static Region {
    let weights: Vec<(usize, u32)> = REGIONS
        .iter()
        .enumerate()
        .map(|(i, region)| {
            let weight = if region.code == "sofia-city" {
                region.population * 8 / 5
            } else {
                region.population
            };
            (i, weight)
        })
        .collect();
    &REGIONS[weighted(rng, &weights)]
}

fn eik(rng: &mut ChaCha8Rng, taken: &mut HashSet<String>) -> String {
    loop {
        let mut digits = [0_u32; 8];
        digits[0] = 1;
        for digit in digits.iter_mut().skip(1) {
            *digit = rng.random_range(0..10);
        }
        let check = eik_check_digit(&digits);
        let eik: String = digits
            .iter()
            .chain(std::iter::once(&check))
            .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
            .collect();
        if taken.insert(eik.clone()) {
            return eik;
        }
    }
}

/// A name, its English form (sometimes none), its legal form and a field the name implies.
fn name(rng: &mut ChaCha8Rng, form: LegalForm, municipality: &str) -> (String, String, Option<Field>) {
    match form {
        LegalForm::Chitalishte => {
            let (patron, patron_en) = pick(rng, PATRONS);
            let year = rng.random_range(1869..1951);
            (
                format!("Народно читалище „{patron} {year}“ – {municipality}"),
                format!("{patron_en} {year} Community Centre, {}", place_in_latin(municipality)),
                Some(Field::Culture),
            )
        }
        LegalForm::Foundation => {
            let (virtue, virtue_en) = pick(rng, VIRTUES);
            if rng.random_bool(0.5) {
                let (adjective, adjective_en) = pick(rng, ADJECTIVES);
                let (noun, noun_en) = pick(rng, NOUNS);
                (
                    format!("Фондация „{adjective} {noun}“"),
                    format!("{adjective_en} {noun_en} Foundation"),
                    None,
                )
            } else {
                (
                    format!("Фондация „{virtue} – {municipality}“"),
                    format!("{virtue_en} Foundation {}", place_in_latin(municipality)),
                    None,
                )
            }
        }
        LegalForm::Association | LegalForm::Other => {
            if rng.random_bool(0.45) {
                let (body, body_en) = pick(rng, BODIES);
                let (cause, cause_en, field) = pick(rng, CAUSES);
                let prefix = if form == LegalForm::Other {
                    ""
                } else {
                    "Сдружение "
                };
                (
                    format!("{prefix}„{body} за {cause}“ – {municipality}"),
                    format!("{body_en} for {cause_en}, {}", place_in_latin(municipality)),
                    Some(*field),
                )
            } else {
                let (adjective, adjective_en) = pick(rng, ADJECTIVES);
                let (noun, noun_en) = pick(rng, NOUNS);
                (
                    format!("Сдружение „{adjective} {noun}“ – {municipality}"),
                    format!("{adjective_en} {noun_en} Association, {}", place_in_latin(municipality)),
                    None,
                )
            }
        }
    }
}

/// The NGO of the demo content named `name_bg` in `city`, completed.
pub struct KnownNgo {
    pub slug: String,
    pub name_bg: String,
    pub name_en: String,
    pub city: String,
}

fn region_of_city(city: &str) -> &'static Region {
    if city == "София" {
        return &REGIONS[21];
    }
    REGIONS
        .iter()
        .find(|region| region.municipalities.contains(&city))
        .unwrap_or(&REGIONS[21])
}

fn legal_form_of(name: &str) -> LegalForm {
    if name.starts_with("Фондация") {
        LegalForm::Foundation
    } else if name.contains("читалище") {
        LegalForm::Chitalishte
    } else if name.starts_with("Сдружение") || name.starts_with("Екосдружение") {
        LegalForm::Association
    } else {
        LegalForm::Other
    }
}

/// Everything but the name of an NGO of `form` in `region`.
struct Details<'a> {
    region: &'static Region,
    municipality: &'a str,
    form: LegalForm,
    implied: Option<Field>,
}

fn record(
    rng: &mut ChaCha8Rng,
    names: (String, String, String),
    details: Details<'_>,
    eiks: &mut HashSet<String>,
) -> NgoRecord {
    let (slug, name_bg, name_en) = names;
    let Details {
        region,
        municipality,
        form,
        implied,
    } = details;
    let mut fields = vec![implied.unwrap_or_else(|| weighted(rng, FIELD_WEIGHTS))];
    if form == LegalForm::Chitalishte {
        fields.push(if rng.random_bool(0.5) {
            Field::Education
        } else {
            Field::ChildrenYouth
        });
    }
    for _ in 0..rng.random_range(0..3) {
        let more = weighted(rng, FIELD_WEIGHTS);
        if !fields.contains(&more) {
            fields.push(more);
        }
    }
    let founded: u16 = match form {
        LegalForm::Chitalishte => rng.random_range(1869..1951),
        _ => 1991 + u16::try_from(rng.random_range(0..34_u32).pow(2) / 34).unwrap_or(0),
    };
    let (mission_bg, mission_en) = mission(fields[0]);
    let place_en = place_in_latin(municipality);
    // A host name's label never ends with a hyphen (a slug cut at 40 may).
    let host = slug
        .chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned();
    let street = pick(rng, STREETS);
    let number = rng.random_range(1..120);
    let status = match rng.random_range(0..100) {
        0..88 => NgoStatus::Active,
        88..93 => NgoStatus::Liquidation,
        _ => NgoStatus::Deregistered,
    };
    NgoRecord {
        slug: slug.parse().unwrap_or_else(|_| slug_of_title("ngo").expect("a slug")),
        name_bg,
        name_en,
        legal_form: form,
        eik: Some(eik(rng, eiks)),
        region: region.code.to_owned(),
        municipality: municipality.to_owned(),
        description_bg: format!("{mission_bg} в община {municipality}. Основана през {founded} г."),
        description_en: format!("{mission_en} in {place_en} municipality. Founded in {founded}."),
        website: rng.random_bool(0.45).then(|| format!("https://{host}.example.org")),
        email: rng.random_bool(0.7).then(|| format!("office@{host}.example.org")),
        phone: rng.random_bool(0.6).then(|| {
            format!(
                "+359 88 {:03} {:04}",
                rng.random_range(0..1000),
                rng.random_range(0..10_000)
            )
        }),
        address: format!("ул. „{street}“ {number}, {municipality}"),
        founded: Some(founded),
        status,
        public_benefit: rng.random_bool(if form == LegalForm::Foundation { 0.55 } else { 0.35 }),
        logo: None,
        fields,
    }
}

/// `count` NGOs: the `known` ones completed, then new ones up to `count`. The same input
/// gives the same records everywhere.
pub fn generate(count: usize, known: &[KnownNgo]) -> Vec<NgoRecord> {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut eiks = HashSet::new();
    let mut slugs: HashSet<String> = known.iter().map(|ngo| ngo.slug.clone()).collect();
    let mut names: HashSet<String> = known.iter().map(|ngo| ngo.name_bg.clone()).collect();
    let mut records = Vec::with_capacity(count);
    for ngo in known {
        let region = region_of_city(&ngo.city);
        let municipality = if ngo.city == "София" {
            "Столична"
        } else {
            ngo.city.as_str()
        };
        let details = Details {
            region,
            municipality,
            form: legal_form_of(&ngo.name_bg),
            implied: None,
        };
        let names = (ngo.slug.clone(), ngo.name_bg.clone(), ngo.name_en.clone());
        records.push(record(&mut rng, names, details, &mut eiks));
    }
    while records.len() < count {
        let region = region(&mut rng);
        let municipality = *pick(&mut rng, region.municipalities);
        let form = weighted(
            &mut rng,
            &[
                (LegalForm::Association, 60),
                (LegalForm::Foundation, 22),
                (LegalForm::Chitalishte, 16),
                (LegalForm::Other, 2),
            ],
        );
        let (mut name_bg, mut name_en, implied) = name(&mut rng, form, municipality);
        // A name taken already gets a number, as registers do (`… – Варна (2)`).
        if names.contains(&name_bg) {
            let n = (2..)
                .find(|n| !names.contains(&format!("{name_bg} ({n})")))
                .unwrap_or(2);
            name_bg = format!("{name_bg} ({n})");
            name_en = format!("{name_en} ({n})");
        }
        names.insert(name_bg.clone());
        let base = slug_of_title(&name_bg)
            .map(String::from)
            .unwrap_or_else(|| "ngo".to_owned());
        let slug = (1..)
            .map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") })
            .find(|slug| !slugs.contains(slug))
            .unwrap_or(base);
        slugs.insert(slug.clone());
        // Most have an English name; a third of small associations do not.
        let name_en = if form == LegalForm::Association && rng.random_bool(0.3) {
            String::new()
        } else {
            name_en
        };
        let details = Details {
            region,
            municipality,
            form,
            implied,
        };
        records.push(record(&mut rng, (slug, name_bg, name_en), details, &mut eiks));
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Eik;

    #[test]
    fn the_demo_directory_is_the_same_every_time_and_every_record_is_valid() {
        let known = [KnownNgo {
            slug: "zeleni-rodopi".into(),
            name_bg: "Сдружение „Зелени Родопи“".into(),
            name_en: "Green Rhodopes Association".into(),
            city: "Смолян".into(),
        }];
        let first = generate(2_000, &known);
        assert_eq!(first, generate(2_000, &known), "deterministic");
        assert_eq!(first.len(), 2_000);
        assert_eq!(first[0].slug.as_str(), "zeleni-rodopi");
        assert_eq!(first[0].region, "smolyan");
        assert_eq!(first[0].legal_form, LegalForm::Association);
        let slugs: HashSet<&str> = first.iter().map(|ngo| ngo.slug.as_str()).collect();
        assert_eq!(slugs.len(), first.len(), "unique slugs");
        for ngo in &first {
            let eik = ngo.eik.as_deref().expect("an ЕИК");
            assert!(eik.parse::<Eik>().is_ok(), "{eik}");
            assert!(!ngo.fields.is_empty());
            assert!(REGIONS.iter().any(|region| region.code == ngo.region));
            // What the CSV import would check of the same record.
            if let Some(email) = &ngo.email {
                assert!(email.parse::<crate::domain::Email>().is_ok(), "{email}");
            }
            if let Some(phone) = &ngo.phone {
                assert!(phone.parse::<crate::domain::Phone>().is_ok(), "{phone}");
            }
        }
        // Plausible proportions: the capital leads, associations are the most common form.
        let in_sofia = first.iter().filter(|ngo| ngo.region == "sofia-city").count();
        assert!((300..700).contains(&in_sofia), "{in_sofia}");
        let associations = first
            .iter()
            .filter(|ngo| ngo.legal_form == LegalForm::Association)
            .count();
        assert!((1000..1400).contains(&associations), "{associations}");
    }

    #[test]
    fn a_hundred_thousand_records_still_have_unique_names_slugs_and_eik() {
        let many = generate(100_000, &[]);
        assert_eq!(many.len(), 100_000);
        let slugs: HashSet<&str> = many.iter().map(|ngo| ngo.slug.as_str()).collect();
        let names: HashSet<&str> = many.iter().map(|ngo| ngo.name_bg.as_str()).collect();
        let eiks: HashSet<&str> = many.iter().filter_map(|ngo| ngo.eik.as_deref()).collect();
        assert_eq!((slugs.len(), names.len(), eiks.len()), (100_000, 100_000, 100_000));
    }
}
