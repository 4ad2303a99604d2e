//! Which languages are written right to left: the editions and the site mark them
//! (`dir="rtl"`), or Arabic or Hebrew text would align left with its full stops on the wrong
//! side. Read from the BCP 47 tag alone, never guessed from the text.

/// Primary language subtags of languages written right to left.
const RIGHT_TO_LEFT: [&str; 10] = ["ar", "he", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"];

/// Scripts written right to left, as a tag's script subtag names them (`ku-Arab`).
const RIGHT_TO_LEFT_SCRIPTS: [&str; 2] = ["arab", "hebr"];

/// True when the BCP 47 `tag` names a language written right to left: by its primary subtag
/// (`ar`, `he-IL`), or by a script subtag (`az-Arab`) whatever the language; a script subtag of
/// another script wins over the primary subtag (`ug-Latn`).
pub fn is_right_to_left(tag: &str) -> bool {
    let mut subtags = tag.split(['-', '_']);
    let primary = subtags.next().unwrap_or("").to_ascii_lowercase();
    let script = subtags
        .next()
        .filter(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_ascii_lowercase);
    match script {
        Some(script) => RIGHT_TO_LEFT_SCRIPTS.contains(&script.as_str()),
        None => RIGHT_TO_LEFT.contains(&primary.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_accepts_only;

    #[test]
    fn right_to_left_languages_are_known_by_their_primary_or_script_subtag() {
        assert_accepts_only(
            is_right_to_left,
            &[
                "ar", "ar-EG", "he", "fa-IR", "ckb", "yi", "ku-Arab", "pa-Arab", "lad-Hebr",
            ],
            &["en", "fr-CA", "zh-Hans", "ug-Latn", "arn", "hea", ""],
        );
    }
}
