//! Digest algorithms named by OCFL, computed while streaming.

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
        match self {
            DigestAlgorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            DigestAlgorithm::Sha512 => Hasher::Sha512(Box::new(Sha512::new())),
        }
    }

    /// The lowercase hex digest of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> String {
        let mut hasher = self.hasher();
        hasher.update(bytes);
        hasher.finish()
    }

    /// Streams `reader` through the hash, returning the digest and the byte count.
    pub fn digest_reader(self, reader: &mut dyn Read) -> io::Result<(String, u64)> {
        let mut writer = HashingWriter::new(self, io::sink());
        let size = io::copy(reader, &mut writer)?;
        Ok((writer.finish().0, size))
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An incremental hash of one of the [`DigestAlgorithm`]s.
pub enum Hasher {
    Sha256(Sha256),
    Sha512(Box<Sha512>),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> String {
        match self {
            Hasher::Sha256(h) => hex::encode(h.finalize()),
            Hasher::Sha512(h) => hex::encode(h.finalize()),
        }
    }
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
}
