use super::*;

fn sha_hex(data: &[u8]) -> String {
    let d = Sha256::digest(data);
    d.iter().fold(String::new(), |mut s, b| {
        s.push_str(&format!("{b:02x}"));
        s
    })
}

/// Feeds `data` in pieces of `step` bytes.
fn chunked(data: &[u8], step: usize) -> Hashed {
    let mut h = Hasher::new(usize::MAX);
    for piece in data.chunks(step.max(1)) {
        h.update(piece);
    }
    h.finish()
}

#[test]
fn known_vectors() {
    assert_eq!(
        hash_bytes(b"", 0).hash,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        hash_bytes(b"abc", 0).hash,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn line_endings_are_normalised_for_text() {
    let unix = hash_bytes(b"a\nb\nc\n", 100);
    let dos = hash_bytes(b"a\r\nb\r\nc\r\n", 100);
    let mac = hash_bytes(b"a\rb\rc\r", 100);
    assert_eq!(unix.hash, dos.hash);
    assert_eq!(unix.hash, mac.hash);
    assert_eq!(dos.content.as_deref(), Some(&b"a\nb\nc\n"[..]));
    assert_eq!(dos.size, 6);
    assert_eq!(dos.raw_size, 9);
    assert_eq!(dos.lines, Some(3));
    // `\r\r\n` is a lone `\r` then a `\r\n`: two line ends.
    assert_eq!(hash_bytes(b"x\r\r\n", 10).content.as_deref(), Some(&b"x\n\n"[..]));
}

#[test]
fn a_cr_at_every_chunk_boundary_is_handled() {
    let mut text = Vec::new();
    for i in 0..3000 {
        text.extend_from_slice(format!("line {i}\r\n").as_bytes());
        if i % 7 == 0 {
            text.extend_from_slice(b"lone\r");
        }
    }
    let expected = hash_bytes(&text, usize::MAX);
    let normalised: Vec<u8> =
        String::from_utf8(text.clone()).unwrap().replace("\r\n", "\n").replace('\r', "\n").into();
    assert_eq!(expected.hash, sha_hex(&normalised));
    for step in [1, 2, 3, 5, 7, 8191, 8192, 8193, 10_000] {
        assert_eq!(chunked(&text, step).hash, expected.hash, "step {step}");
    }
}

#[test]
fn binary_is_hashed_raw() {
    let data = b"\x00\x01\r\n\r\x02".to_vec();
    let h = hash_bytes(&data, 100);
    assert!(!h.is_text);
    assert_eq!(h.hash, sha_hex(&data));
    assert_eq!(h.lines, None);
    // Invalid UTF-8 in the head is binary too.
    assert!(!hash_bytes(b"caf\xe9 au lait\r\n", 100).is_text);
}

#[test]
fn a_nul_after_the_sniff_window_does_not_make_binary() {
    let mut data = vec![b'a'; SNIFF_LEN];
    data.extend_from_slice(b"\0\r\n");
    let h = hash_bytes(&data, 0);
    assert!(h.is_text);
    assert_eq!(h.content, None, "over the keep limit");
}

#[test]
fn utf8_cut_by_the_sniff_window_is_text() {
    let mut data = vec![b'a'; SNIFF_LEN - 1];
    data.extend_from_slice("é and more".as_bytes());
    assert!(looks_like_text(&data[..SNIFF_LEN]));
    assert!(hash_bytes(&data, 0).is_text);
}

#[test]
fn empty_and_unterminated_line_counts() {
    assert_eq!(hash_bytes(b"", 10).lines, Some(0));
    assert_eq!(hash_bytes(b"one", 10).lines, Some(1));
    assert_eq!(hash_bytes(b"one\ntwo", 10).lines, Some(2));
}

#[test]
fn files_stream_and_missing_files_vanish() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("f.txt");
    std::fs::write(&p, b"hello\r\n").unwrap();
    let h = hash_file(&p, 1024).unwrap();
    assert_eq!(h.hashed.hash, hash_bytes(b"hello\n", 0).hash);
    std::fs::remove_file(&p).unwrap();
    assert!(matches!(hash_file(&p, 1024), Err(HashError::Vanished { .. })));
    assert!(matches!(hash_file(tmp.path(), 1024), Err(HashError::Io { .. })));
}

#[test]
fn a_large_sparse_file_streams_without_keeping_content() {
    // 2 GB runs in the CLI suite's release-independent check and in benches/track.sh; here a
    // smaller sparse file keeps the debug-built unit tests quick.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("big.bin");
    let f = File::create(&p).unwrap();
    f.set_len(64 << 20).unwrap();
    drop(f);
    // Zeros: binary; content not kept over the limit; the whole length was read.
    let h = hash_file(&p, 1 << 20).unwrap();
    assert!(!h.hashed.is_text);
    assert_eq!(h.hashed.raw_size, 64 << 20);
    assert!(h.hashed.content.is_none());
}

#[test]
fn streaming_hands_over_exactly_the_normalised_content() {
    // CRLF text whose `\r\n` pairs straddle the read chunks' edges.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("crlf.txt");
    let mut raw = vec![b'x'; CHUNK_LEN - 1];
    raw.extend_from_slice(b"\r\n"); // split between the first and second read
    while raw.len() < 2 * CHUNK_LEN - 1 {
        raw.extend_from_slice(b"line of text\r\n");
    }
    raw.truncate(2 * CHUNK_LEN - 1);
    raw.extend_from_slice(b"\rlone carriage return at the second edge\r\nend");
    std::fs::write(&p, &raw).unwrap();
    let kept = hash_file(&p, usize::MAX).unwrap().hashed;
    let mut got = Vec::new();
    let mut starts = 0;
    let mut sink = |chunk: Option<&[u8]>| -> io::Result<()> {
        if let Some(data) = chunk {
            got.extend_from_slice(data);
        } else {
            starts += 1;
            got.clear();
        }
        Ok(())
    };
    let streamed = hash_file_streaming(&p, &mut sink).unwrap().hashed;
    assert_eq!(starts, 1);
    assert!(streamed.content.is_none());
    assert_eq!(
        (streamed.hash.as_str(), streamed.size, streamed.lines),
        (kept.hash.as_str(), kept.size, kept.lines)
    );
    assert_eq!(Some(got), kept.content);
    // A sink's error is the file's error.
    let mut failing = |_: Option<&[u8]>| -> io::Result<()> { Err(io::Error::other("full")) };
    assert!(matches!(hash_file_streaming(&p, &mut failing), Err(HashError::Io { .. })));
}

#[test]
fn newline_count_matches_a_plain_count_at_every_length_and_offset() {
    // Long enough to cross the 255-block flush (255 * 32 bytes) more than once.
    let data: Vec<u8> = (0..20_000u32)
        .map(|i| if i % 7 == 0 || i % 31 == 3 { b'\n' } else { b'a' + (i % 26) as u8 })
        .collect();
    // The reference: the obvious count.
    #[allow(clippy::naive_bytecount)]
    let plain = |d: &[u8]| d.iter().filter(|&&b| b == b'\n').count() as u64;
    for len in [0, 1, 31, 32, 33, 255 * 32 - 1, 255 * 32, 255 * 32 + 1, 2 * 255 * 32 + 5, 20_000] {
        for start in [0, 1, 17] {
            let d = &data[start.min(len)..len];
            assert_eq!(count_newlines(d), plain(d), "len {len} start {start}");
        }
    }
    let all = vec![b'\n'; 3 * 255 * 32 + 7];
    assert_eq!(count_newlines(&all), all.len() as u64);
}

#[test]
fn a_file_read_ahead_on_a_second_thread_hashes_as_in_memory() {
    // Over READ_AHEAD_MIN, CRLF text with a `\r\n` split at every 2 MiB read edge, streamed and
    // kept: hash, size, lines and content match hashing the bytes in memory.
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("large.txt");
    let len = usize::try_from(READ_AHEAD_MIN).unwrap() + 3 * (1 << 20) + 17;
    let mut raw = Vec::with_capacity(len + 64);
    let mut i = 0u64;
    while raw.len() < len {
        raw.extend_from_slice(format!("line {i}\r\n").as_bytes());
        i += 1;
        if raw.len() % (2 << 20) < 12 {
            raw.resize(raw.len() - raw.len() % (2 << 20) + (2 << 20) - 1, b'y');
            raw.extend_from_slice(b"\r\n");
        }
    }
    std::fs::write(&p, &raw).unwrap();
    let expected = hash_bytes(&raw, usize::MAX);
    let kept = hash_file(&p, usize::MAX).unwrap().hashed;
    assert_eq!(kept, expected);
    let mut got = Vec::new();
    let mut sink = |chunk: Option<&[u8]>| -> io::Result<()> {
        match chunk {
            Some(data) => got.extend_from_slice(data),
            None => got.clear(),
        }
        Ok(())
    };
    let streamed = hash_file_streaming(&p, &mut sink).unwrap().hashed;
    assert_eq!((streamed.hash, streamed.lines), (expected.hash, expected.lines));
    assert_eq!(Some(got), expected.content);
    // A sink that fails stops the reader thread too, and the error comes back.
    let mut failing = |chunk: Option<&[u8]>| -> io::Result<()> {
        if chunk.is_some() { Err(io::Error::other("disk full")) } else { Ok(()) }
    };
    let err = hash_file_streaming(&p, &mut failing).unwrap_err();
    assert!(err.to_string().contains("disk full"), "{err}");
}
