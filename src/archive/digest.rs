//! Digest algorithms named by OCFL, computed while streaming: the one place quire makes
//! digests, for ingest, verify and exports alike.
//!
//! sha512 and sha256 come from sha2 0.11, built in one codegen unit (see Cargo.toml): the
//! fastest candidate measured on x86_64 with AVX2, at about 83% of OpenSSL 3's sha512 per
//! CPU second, ahead of sha2 0.10 (77%; its `asm` feature changes nothing where AVX2 is
//! present), ring and aws-lc (73%). OpenSSL's lead is its AVX2+BMI2 assembly, which none of
//! them has (the README's speed section has the figures). The other fixity algorithms OCFL
//! names (sha1, md5, blake2b-512) come from the RustCrypto crates of the digest 0.10 line.

use sha1::digest::DynDigest;
use sha2::{Digest as _, Sha256, Sha512};
use std::fmt;
use std::io::{self, Read, Write};

/// The algorithms OCFL allows for content addressing (sha512 is what quire writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DigestAlgorithm {
    Sha256,
    Sha512,
}

impl DigestAlgorithm {
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha256 => "sha256",
            DigestAlgorithm::Sha512 => "sha512",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(DigestAlgorithm::Sha256),
            "sha512" => Some(DigestAlgorithm::Sha512),
            _ => None,
        }
    }

    pub fn hasher(self) -> Hasher {
        Hasher(match self {
            DigestAlgorithm::Sha256 => Inner::Sha256(Sha256::new()),
            DigestAlgorithm::Sha512 => Inner::Sha512(Box::new(Sha512::new())),
        })
    }

    /// The lowercase hex digest of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(bytes);
        hasher.finish()
    }

    /// Streams `reader` through the hash, returning the digest and the byte count.
    pub fn digest_reader(self, reader: &mut dyn Read) -> io::Result<(String, u64)> {
        let mut hasher = self.hasher();
        let size = crate::store::read_chunks(reader, |chunk| {
            hasher.update(chunk);
            Ok(())
        })?;
        Ok((hasher.finish(), size))
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An incremental hash of one of the [`DigestAlgorithm`]s, or of a fixity algorithm
/// ([`fixity_hasher`]).
pub struct Hasher(Inner);

enum Inner {
    Sha256(Sha256),
    Sha512(Box<Sha512>),
    Sha512_256(sha2::Sha512_256),
    /// sha2's others (sha224, sha384), of the digest 0.11 line.
    Sha2(Box<dyn sha2::digest::DynDigest + Send>),
    Other(Box<dyn DynDigest + Send>),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            Inner::Sha256(hasher) => hasher.update(bytes),
            Inner::Sha512(hasher) => hasher.update(bytes),
            Inner::Sha512_256(hasher) => hasher.update(bytes),
            Inner::Sha2(hasher) => hasher.update(bytes),
            Inner::Other(hasher) => hasher.update(bytes),
        }
    }

    /// The lowercase hex digest.
    pub fn finish(self) -> String {
        match self.0 {
            Inner::Sha256(hasher) => hex::encode(hasher.finalize()),
            Inner::Sha512(hasher) => hex::encode(hasher.finalize()),
            Inner::Sha512_256(hasher) => hex::encode(hasher.finalize()),
            Inner::Sha2(hasher) => hex::encode(hasher.finalize()),
            Inner::Other(hasher) => hex::encode(hasher.finalize()),
        }
    }
}

/// The digest algorithms OCFL names, with the hex length of their digests: the spec's five
/// (md5, sha1, sha256, sha512, blake2b-512: "implementers MUST choose from the following
/// controlled vocabulary of digest algorithms, or from a list of additional algorithms given in
/// the [Digest-Algorithms-Extension]", OCFL 1.1 §3.4) and those extension 0009 adds (blake2b-160,
/// blake2b-256, blake2b-384, sha512/256, and `size`, a byte count in decimal rather than a
/// digest; 0001-digest-algorithms, which 0009 obsoletes, had the first four). A
/// fixity block may name any of them (E056); a tuple layout's `digestAlgorithm` any but `size`.
pub const OCFL_ALGORITHMS: [(&str, Option<usize>); 10] = [
    ("md5", Some(32)),
    ("sha1", Some(40)),
    ("sha256", Some(64)),
    ("sha512", Some(128)),
    ("blake2b-512", Some(128)),
    ("blake2b-160", Some(40)),
    ("blake2b-256", Some(64)),
    ("blake2b-384", Some(96)),
    ("sha512/256", Some(64)),
    ("size", None),
];

/// The hex length of a digest of `algorithm`, for the digest algorithms OCFL names.
pub fn hex_length(algorithm: &str) -> Option<usize> {
    OCFL_ALGORITHMS
        .iter()
        .find(|(name, _)| *name == algorithm)
        .and_then(|(_, length)| *length)
}

/// A hasher for any digest algorithm of [`OCFL_ALGORITHMS`] (not `size`); `None` for others.
pub fn fixity_hasher(algorithm: &str) -> Option<Hasher> {
    use blake2::digest::consts::{U20, U32, U48};
    if let Some(algorithm) = DigestAlgorithm::from_name(algorithm) {
        return Some(algorithm.hasher());
    }
    let digest: Box<dyn DynDigest + Send> = match algorithm {
        "sha1" => Box::new(sha1::Sha1::default()),
        "md5" => Box::new(md5::Md5::default()),
        "blake2b-512" => Box::new(blake2::Blake2b512::default()),
        "blake2b-160" => Box::new(blake2::Blake2b::<U20>::default()),
        "blake2b-256" => Box::new(blake2::Blake2b::<U32>::default()),
        "blake2b-384" => Box::new(blake2::Blake2b::<U48>::default()),
        "sha512/256" => return Some(Hasher(Inner::Sha512_256(sha2::Sha512_256::new()))),
        _ => return None,
    };
    Some(Hasher(Inner::Other(digest)))
}

/// A hasher for a BagIt manifest's algorithm: SHA-256 and SHA-512, which RFC 8493 §2.4
/// requires of every tool, MD5 and SHA-1 of older bags, and SHA-224 and SHA-384, which
/// bagit-python writes too. `None` for others.
pub fn bagit_hasher(algorithm: &str) -> Option<Hasher> {
    let digest: Box<dyn sha2::digest::DynDigest + Send> = match algorithm {
        "sha224" => Box::new(sha2::Sha224::default()),
        "sha384" => Box::new(sha2::Sha384::default()),
        "md5" | "sha1" | "sha256" | "sha512" => return fixity_hasher(algorithm),
        _ => return None,
    };
    Some(Hasher(Inner::Sha2(digest)))
}

/// A writer that hashes what passes through it, so content is read once while it is copied.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Hasher,
}

impl<W: Write> HashingWriter<W> {
    pub fn new(algorithm: DigestAlgorithm, inner: W) -> Self {
        HashingWriter {
            inner,
            hasher: algorithm.hasher(),
        }
    }

    pub fn finish(self) -> (String, W) {
        (self.hasher.finish(), self.inner)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that hashes what is read through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Hasher,
}

impl<R: Read> HashingReader<R> {
    pub fn new(algorithm: DigestAlgorithm, inner: R) -> Self {
        HashingReader {
            inner,
            hasher: algorithm.hasher(),
        }
    }

    pub fn finish(self) -> String {
        self.hasher.finish()
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(
            DigestAlgorithm::Sha256.digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(DigestAlgorithm::Sha512
            .digest(b"abc")
            .starts_with("ddaf35a193617aba"));
        let (digest, size) = DigestAlgorithm::Sha512
            .digest_reader(&mut &b"abc"[..])
            .unwrap();
        assert_eq!((digest, size), (DigestAlgorithm::Sha512.digest(b"abc"), 3));
    }

    #[test]
    fn sha512_and_sha256_match_an_independent_implementation_at_every_length_and_split() {
        // The expected values come from Python's hashlib (OpenSSL): the digest of the
        // concatenated digests of every prefix length below.
        let bytes: Vec<u8> = (0..3000u32).map(|i| (i * 7919 % 251) as u8).collect();
        let lengths: Vec<usize> = (0..300).chain([1023, 1024, 1025, 2047, 3000]).collect();
        for (algorithm, expected) in [
            (
                DigestAlgorithm::Sha512,
                "d5ddbfc46c61188bdacefb8695ec37b8ba567ef47dfd9bdca4bcf0e0497ef433\
                 aedbd49ac6b4c7015f1d97fd9c696f8be2ca58b477782078ee7b1499456d2206",
            ),
            (
                DigestAlgorithm::Sha256,
                "d248e7cb94f01998c041900de0b15ad77f1f703dd446c8c6e758062953cfee9b",
            ),
        ] {
            let mut all = Vec::new();
            for &length in &lengths {
                let input = &bytes[..length];
                let whole = algorithm.digest(input);
                let mut split = algorithm.hasher();
                let (a, b) = input.split_at(length / 3);
                split.update(a);
                split.update(b);
                assert_eq!(split.finish(), whole, "{algorithm} at {length}");
                all.extend(hex::decode(whole).unwrap());
            }
            assert_eq!(algorithm.digest(&all), expected, "{algorithm}");
        }
        assert_eq!(
            DigestAlgorithm::Sha512.digest(&vec![b'a'; 1_000_000]),
            "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb\
             de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
        );
    }

    #[test]
    fn fixity_hashers_cover_the_algorithms_ocfl_names_and_no_others() {
        let digest = |name: &str| {
            let mut hasher = fixity_hasher(name).expect(name);
            hasher.update(b"abc");
            hasher.finish()
        };
        assert_eq!(digest("md5"), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(digest("sha1"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(digest("sha256"), DigestAlgorithm::Sha256.digest(b"abc"));
        assert_eq!(digest("sha512"), DigestAlgorithm::Sha512.digest(b"abc"));
        assert!(digest("blake2b-512").starts_with("ba80a53f981c4d0d"));
        // 0009's algorithms, at the digests of a zero-length bitstream its table gives.
        let empty = |name: &str| fixity_hasher(name).expect(name).finish();
        assert_eq!(
            empty("blake2b-160"),
            "3345524abf6bbe1809449224b5972c41790b6cf2"
        );
        assert!(empty("blake2b-256").starts_with("0e5751c026e543b2e8ab2eb06099daa1d1e5df47"));
        assert!(empty("blake2b-384").starts_with("b32811423377f52d7862286ee1a72ee540524380"));
        assert!(empty("sha512/256").starts_with("c672b8d1ef56ed28ab87c3622c5114069bdd3ad7"));
        for (name, length) in OCFL_ALGORITHMS {
            match length {
                Some(length) => assert_eq!(digest(name).len(), length, "{name}"),
                None => assert!(fixity_hasher(name).is_none()),
            }
        }
        assert!(fixity_hasher("crc32").is_none());
        assert!(fixity_hasher("sha3-256").is_none());
        assert!(fixity_hasher("SHA512").is_none());
    }
}
