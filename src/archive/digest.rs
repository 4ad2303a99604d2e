//! Digest algorithms named by OCFL, computed while streaming: the one place quire makes
//! digests, for ingest, verify and exports alike.
//!
//! sha512 and sha256 come from aws-lc (through `aws-lc-rs`, built with only a C compiler),
//! the fastest of the candidates measured on x86_64 with AVX2: about 74% of OpenSSL 3's
//! sha512 per CPU second, against 71% for sha2 0.11, 65% for sha2 0.10 (its `asm` feature
//! changes nothing where AVX2 is present) and 73% for ring; OpenSSL's lead is its AVX2+BMI2
//! code, which none of them has (see the README's speed section). The other fixity
//! algorithms OCFL names (sha1, md5, blake2b-512) come from the RustCrypto crates.

use aws_lc_rs::digest::{Context, SHA256, SHA512};
use sha2::digest::DynDigest;
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
        Hasher(Inner::AwsLc(Context::new(match self {
            DigestAlgorithm::Sha256 => &SHA256,
            DigestAlgorithm::Sha512 => &SHA512,
        })))
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
    AwsLc(Context),
    RustCrypto(Box<dyn DynDigest + Send>),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        match &mut self.0 {
            Inner::AwsLc(context) => context.update(bytes),
            Inner::RustCrypto(digest) => digest.update(bytes),
        }
    }

    /// The lowercase hex digest.
    pub fn finish(self) -> String {
        match self.0 {
            Inner::AwsLc(context) => hex::encode(context.finish()),
            Inner::RustCrypto(digest) => hex::encode(digest.finalize()),
        }
    }
}

/// A hasher for any algorithm OCFL names for fixity (`sha512`, `sha256`, `sha1`, `md5`,
/// `blake2b-512`); `None` for others.
pub fn fixity_hasher(algorithm: &str) -> Option<Hasher> {
    if let Some(algorithm) = DigestAlgorithm::from_name(algorithm) {
        return Some(algorithm.hasher());
    }
    let digest: Box<dyn DynDigest + Send> = match algorithm {
        "sha1" => Box::new(sha1::Sha1::default()),
        "md5" => Box::new(md5::Md5::default()),
        "blake2b-512" => Box::new(blake2::Blake2b512::default()),
        _ => return None,
    };
    Some(Hasher(Inner::RustCrypto(digest)))
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
    use sha2::Digest as _;

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
    fn sha512_and_sha256_agree_with_sha2_at_every_length_and_split() {
        let bytes: Vec<u8> = (0..3000u32).map(|i| (i * 7919 % 251) as u8).collect();
        for length in (0..300).chain([1023, 1024, 1025, 2047, 3000]) {
            let input = &bytes[..length];
            let mut split = DigestAlgorithm::Sha512.hasher();
            let (a, b) = input.split_at(length / 3);
            split.update(a);
            split.update(b);
            let expected = hex::encode(sha2::Sha512::digest(input));
            assert_eq!(DigestAlgorithm::Sha512.digest(input), expected, "{length}");
            assert_eq!(split.finish(), expected, "{length}");
            assert_eq!(
                DigestAlgorithm::Sha256.digest(input),
                hex::encode(sha2::Sha256::digest(input)),
                "{length}"
            );
        }
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
        assert!(fixity_hasher("sha3-256").is_none());
        assert!(fixity_hasher("SHA512").is_none());
    }
}
