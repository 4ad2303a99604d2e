//! The edition's own words (Contents, By, Updated, the colophon's lines…) and its dates, in the
//! issue's language: one table, one row per language, that a translator extends by adding a
//! row. A language the table lacks gets English.

use crate::model::IsoDate;

/// The words of one language.
pub struct Words {
    pub language: &'static str,
    pub contents: &'static str,
    pub colophon: &'static str,
    pub notes: &'static str,
    /// "By {authors}".
    pub by: &'static str,
    /// "Updated {date}", "Published {date}".
    pub updated: &'static str,
    pub published: &'static str,
    pub volume: &'static str,
    pub number: &'static str,
    /// Months, January first.
    pub months: [&'static str; 12],
    /// How a full date, a month and a year are written: `{d}`, `{m}` (month name), `{y}`.
    pub date: &'static str,
    pub month_year: &'static str,
    pub image_missing: &'static str,
    pub untitled: &'static str,
    /// The colophon's lines: `{version}` (quire's), `{archive_version}`, `{object}`, `{created}`, `{digest}`, `{fonts}`.
    pub made_by: &'static str,
    pub object: &'static str,
    pub version: &'static str,
    pub metadata: &'static str,
    pub set_in: &'static str,
    /// Where a page of the original that no capture holds would be: one page, several.
    pub not_captured: &'static str,
    pub not_captured_pages: &'static str,
}

const EN: Words = Words {
    language: "en",
    contents: "Contents",
    colophon: "Colophon",
    notes: "Notes",
    by: "By {}",
    updated: "Updated {}",
    published: "Published {}",
    volume: "Volume {}",
    number: "Number {}",
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    date: "{m} {d}, {y}",
    month_year: "{m} {y}",
    image_missing: "Image not in this edition",
    untitled: "untitled",
    made_by: "This edition was made by quire {version} from an OCFL archive, every file checked against its digest.",
    object: "Archive object: {object}",
    version: "Version: {archive_version} (created {created})",
    metadata: "Issue metadata (issue.toml) sha512: {digest}",
    set_in: "Set in {fonts}.",
    not_captured: "Not captured: page {} of the original.",
    not_captured_pages: "Not captured: pages {} of the original.",
};

/// English as written where the day comes first.
const EN_DAY_FIRST: Words = Words {
    date: "{d} {m} {y}",
    ..EN
};

/// The regions whose English writes the month first (`May 10, 2025`): the United States and
/// its territories, the Philippines, Canada (where both are written), and the Americas at
/// large (`419`).
const MONTH_FIRST: [&str; 10] = ["US", "UM", "AS", "GU", "MP", "PR", "VI", "PH", "CA", "419"];

const FR: Words = Words {
    language: "fr",
    contents: "Sommaire",
    colophon: "Colophon",
    notes: "Notes",
    by: "Par {}",
    updated: "Mis à jour le {}",
    published: "Publié le {}",
    volume: "Volume {}",
    number: "Numéro {}",
    months: [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ],
    date: "{d} {m} {y}",
    month_year: "{m} {y}",
    image_missing: "Image absente de cette édition",
    untitled: "sans titre",
    made_by: "Cette édition a été faite par quire {version} à partir d’une archive OCFL, chaque fichier vérifié par son empreinte.",
    object: "Objet d’archive : {object}",
    version: "Version : {archive_version} (créée {created})",
    metadata: "Métadonnées du numéro (issue.toml) sha512 : {digest}",
    set_in: "Composé en {fonts}.",
    not_captured: "Non archivée : page {} de l’original.",
    not_captured_pages: "Non archivées : pages {} de l’original.",
};

const DE: Words = Words {
    language: "de",
    contents: "Inhalt",
    colophon: "Impressum",
    notes: "Anmerkungen",
    by: "Von {}",
    updated: "Aktualisiert am {}",
    published: "Veröffentlicht am {}",
    volume: "Jahrgang {}",
    number: "Heft {}",
    months: [
        "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
        "Oktober", "November", "Dezember",
    ],
    date: "{d}. {m} {y}",
    month_year: "{m} {y}",
    image_missing: "Bild nicht in dieser Ausgabe",
    untitled: "ohne Titel",
    made_by: "Diese Ausgabe wurde von quire {version} aus einem OCFL-Archiv erstellt, jede Datei gegen ihre Prüfsumme geprüft.",
    object: "Archivobjekt: {object}",
    version: "Version: {archive_version} (erstellt {created})",
    metadata: "Heftmetadaten (issue.toml) sha512: {digest}",
    set_in: "Gesetzt in {fonts}.",
    not_captured: "Nicht erfasst: Seite {} des Originals.",
    not_captured_pages: "Nicht erfasst: Seiten {} des Originals.",
};

const ES: Words = Words {
    language: "es",
    contents: "Sumario",
    colophon: "Colofón",
    notes: "Notas",
    by: "Por {}",
    updated: "Actualizado el {}",
    published: "Publicado el {}",
    volume: "Volumen {}",
    number: "Número {}",
    months: [
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
        "septiembre", "octubre", "noviembre", "diciembre",
    ],
    date: "{d} de {m} de {y}",
    month_year: "{m} de {y}",
    image_missing: "Imagen no incluida en esta edición",
    untitled: "sin título",
    made_by: "Esta edición fue hecha por quire {version} a partir de un archivo OCFL, cada fichero comprobado con su resumen.",
    object: "Objeto del archivo: {object}",
    version: "Versión: {archive_version} (creada {created})",
    metadata: "Metadatos del número (issue.toml) sha512: {digest}",
    set_in: "Compuesto en {fonts}.",
    not_captured: "No capturada: página {} del original.",
    not_captured_pages: "No capturadas: páginas {} del original.",
};

const ZH: Words = Words {
    language: "zh",
    contents: "目录",
    colophon: "版本说明",
    notes: "注释",
    by: "作者：{}",
    updated: "更新于{}",
    published: "发表于{}",
    volume: "第{}卷",
    number: "第{}期",
    months: [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
    ],
    date: "{y}年{m}月{d}日",
    month_year: "{y}年{m}月",
    image_missing: "本版未收录的图片",
    untitled: "无题",
    made_by: "本版由 quire {version} 据 OCFL 档案生成，每个文件均经摘要校验。",
    object: "档案对象：{object}",
    version: "版本：{archive_version}（创建于 {created}）",
    metadata: "期刊元数据（issue.toml）sha512：{digest}",
    set_in: "字体：{fonts}。",
    not_captured: "未收录：原文第{}页。",
    not_captured_pages: "未收录：原文第{}页。",
};

const JA: Words = Words {
    language: "ja",
    contents: "目次",
    colophon: "奥付",
    notes: "注",
    by: "著者：{}",
    updated: "{}更新",
    published: "{}公開",
    volume: "第{}巻",
    number: "第{}号",
    months: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"],
    date: "{y}年{m}月{d}日",
    month_year: "{y}年{m}月",
    image_missing: "この版に含まれない画像",
    untitled: "無題",
    made_by: "この版は quire {version} が OCFL アーカイブから作成し、すべてのファイルをダイジェストで検証しました。",
    object: "アーカイブオブジェクト：{object}",
    version: "バージョン：{archive_version}（{created} 作成）",
    metadata: "号のメタデータ（issue.toml）sha512：{digest}",
    set_in: "使用書体：{fonts}。",
    not_captured: "未収録：原文の{}ページ。",
    not_captured_pages: "未収録：原文の{}ページ。",
};

const AR: Words = Words {
    language: "ar",
    contents: "المحتويات",
    colophon: "بيانات النشر",
    notes: "الحواشي",
    by: "بقلم {}",
    updated: "حُدّث في {}",
    published: "نُشر في {}",
    volume: "المجلد {}",
    number: "العدد {}",
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    date: "{d} {m} {y}",
    month_year: "{m} {y}",
    image_missing: "صورة ليست في هذه الطبعة",
    untitled: "بلا عنوان",
    made_by: "أعدّ quire {version} هذه الطبعة من أرشيف OCFL، وقد فُحص كل ملف مقابل بصمته الرقمية.",
    object: "كائن الأرشيف: {object}",
    version: "الإصدار: {archive_version} (أُنشئ في {created})",
    metadata: "البيانات الوصفية للعدد (issue.toml) sha512: {digest}",
    set_in: "جُمعت بخط {fonts}.",
    not_captured: "لم تُحفظ: الصفحة {} من الأصل.",
    not_captured_pages: "لم تُحفظ: الصفحات {} من الأصل.",
};

const HE: Words = Words {
    language: "he",
    contents: "תוכן העניינים",
    colophon: "קולופון",
    notes: "הערות",
    by: "מאת {}",
    updated: "עודכן ב־{}",
    published: "פורסם ב־{}",
    volume: "כרך {}",
    number: "גיליון {}",
    months: [
        "ינואר",
        "פברואר",
        "מרץ",
        "אפריל",
        "מאי",
        "יוני",
        "יולי",
        "אוגוסט",
        "ספטמבר",
        "אוקטובר",
        "נובמבר",
        "דצמבר",
    ],
    date: "{d} ב{m} {y}",
    month_year: "{m} {y}",
    image_missing: "התמונה אינה במהדורה זו",
    untitled: "ללא כותרת",
    made_by: "מהדורה זו הופקה על ידי quire {version} מארכיון OCFL, וכל קובץ נבדק מול התקציר שלו.",
    object: "אובייקט בארכיון: {object}",
    version: "גרסה: {archive_version} (נוצרה {created})",
    metadata: "מטא־נתוני הגיליון (issue.toml) sha512: {digest}",
    set_in: "סודר באותיות {fonts}.",
    not_captured: "לא נשמר: עמוד {} של המקור.",
    not_captured_pages: "לא נשמרו: עמודים {} של המקור.",
};

/// Every language the edition speaks.
pub const TABLE: [&Words; 8] = [&EN, &FR, &DE, &ES, &ZH, &JA, &AR, &HE];

/// The words for a language tag (`fr`, `fr-CA`, `zh-Hans`…), English when there is no row.
pub fn words(language: Option<&str>) -> &'static Words {
    let mut subtags = language.unwrap_or("en").split(['-', '_']);
    let primary = subtags.next().unwrap_or("en").to_ascii_lowercase();
    // English outside the United States and the places that write as it does puts the day
    // first (`10 May 2025`, for `en-GB`, `en-AU`, `en-IN`…); `en` alone, the month.
    let region = subtags.find(|s| s.len() == 2 || s.chars().all(|c| c.is_ascii_digit()));
    if primary == "en"
        && region.is_some_and(|r| !MONTH_FIRST.iter().any(|m| r.eq_ignore_ascii_case(m)))
    {
        return &EN_DAY_FIRST;
    }
    TABLE
        .iter()
        .find(|w| w.language == primary)
        .copied()
        .unwrap_or(&EN)
}

impl Words {
    /// The colophon's lines, as every edition gives them: the publication's imprint (its
    /// publisher and ISSN) where `issue.toml` gives one, then where the edition came from.
    pub fn colophon_lines(
        &self,
        edition: &crate::export::Edition,
        quire_version: &str,
    ) -> Vec<String> {
        let fill = |pattern: &str| {
            pattern
                .replace("{archive_version}", &edition.version.to_string())
                .replace("{version}", quire_version)
                .replace("{object}", &edition.object_id)
                .replace("{created}", &edition.created)
                .replace("{digest}", &edition.metadata_sha512)
        };
        let publication = &edition.issue.publication;
        let imprint = publication.imprint();
        let imprint = (!imprint.is_empty()).then(|| format!("{}. {imprint}.", publication.title));
        imprint
            .into_iter()
            .chain([self.made_by, self.object, self.version, self.metadata].map(fill))
            .collect()
    }

    /// `pattern` with its `{}` replaced by `value`.
    pub fn fill(&self, pattern: &str, value: &str) -> String {
        pattern.replacen("{}", value, 1)
    }

    /// A date as the language writes it (a year alone stays a year).
    pub fn date(&self, date: &IsoDate) -> String {
        let year = date.year.to_string();
        match (date.month, date.day) {
            (Some(m), Some(d)) if (1..=12).contains(&m) => self
                .date
                .replace("{y}", &year)
                .replace("{m}", self.months[m as usize - 1])
                .replace("{d}", &d.to_string()),
            (Some(m), _) if (1..=12).contains(&m) => self
                .month_year
                .replace("{y}", &year)
                .replace("{m}", self.months[m as usize - 1]),
            _ => year,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> IsoDate {
        s.parse().unwrap()
    }

    #[test]
    fn every_language_has_its_words_and_dates() {
        assert_eq!(words(Some("fr-CA")).contents, "Sommaire");
        assert_eq!(words(Some("ja")).contents, "目次");
        assert_eq!(words(Some("xx")).contents, "Contents");
        assert_eq!(words(None).date(&date("2025-05-10")), "May 10, 2025");
        for (tag, written) in [
            ("en", "May 10, 2025"),
            ("en-US", "May 10, 2025"),
            ("en-Latn-US", "May 10, 2025"),
            ("en-GB", "10 May 2025"),
            ("en-au", "10 May 2025"),
            ("en-IN", "10 May 2025"),
            ("en-150", "10 May 2025"),
        ] {
            assert_eq!(words(Some(tag)).date(&date("2025-05-10")), written, "{tag}");
        }
        assert_eq!(words(Some("fr")).date(&date("2025-05-10")), "10 mai 2025");
        assert_eq!(words(Some("de")).date(&date("2025-05")), "Mai 2025");
        assert_eq!(words(Some("ja")).date(&date("2025-05-10")), "2025年5月10日");
        // A book in Arabic or Hebrew speaks its own language, so that no English label runs
        // into its right-to-left lines.
        let ar = words(Some("ar-EG"));
        assert_eq!(
            ar.fill(ar.published, &ar.date(&date("2024-09-12"))),
            "نُشر في 12 سبتمبر 2024"
        );
        assert_eq!(words(Some("he")).contents, "תוכן העניינים");
        let ja = words(Some("ja"));
        assert_eq!(
            ja.fill(ja.updated, &ja.date(&date("2025-05-10"))),
            "2025年5月10日更新"
        );
        for w in TABLE {
            for pattern in [
                w.by,
                w.updated,
                w.published,
                w.volume,
                w.number,
                w.not_captured,
                w.not_captured_pages,
            ] {
                assert!(pattern.contains("{}"), "{}: {pattern}", w.language);
            }
        }
    }
}
