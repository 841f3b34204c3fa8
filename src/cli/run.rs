//! A run of `classify` or `template`: lines in, one outcome each written
//! in input order (or counted into the summary), on one thread or on
//! several (`--jobs`).
//!
//! With several jobs, one thread reads the input in chunks that end at a
//! line end, and does nothing else with them: the workers split them into
//! lines, classify and write. The chunks go to the workers in turn and the
//! results come back the same way, so taking them in turn restores input
//! order with no sorting. A chunk is what one read gave, so lines that
//! arrive slowly (a pipe) are written as soon as they are classified; a
//! line too long for a chunk is measured by the reader, as the one-thread
//! run measures it, and goes to a worker alone.

use std::io::{self, BufReader, Read, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread;

use super::lines::{keep_for_targets, Line, Lines, LongLine};
use super::outcome::Classifier;
use super::output::Output;
use super::progress::Progress;
use super::summary::Summary;

/// The input of a run.
pub(crate) struct Source {
    pub(crate) reader: Box<dyn Read + Send>,
    pub(crate) progress: Progress,
}

/// What a run does with each line.
pub(crate) struct Run {
    pub(crate) classifier: Classifier,
    pub(crate) output: Output,
    pub(crate) jobs: usize,
}

/// How much of the input one read asks for, and so the size of a chunk.
const CHUNK: usize = 1 << 20;

/// How much output the one-thread run gathers before it writes.
const WRITE_AT: usize = 1 << 16;

/// The buffer of the one-thread run's reader.
const BUFFER: usize = 1 << 18;

/// Chunks in flight per worker, each way: enough that no thread waits on
/// another in the steady state, few enough to bound the memory.
const IN_FLIGHT: usize = 2;

/// Spare buffers kept per worker, for its input and its output.
const SPARE: usize = IN_FLIGHT + 1;

impl Run {
    /// Reads every line of `source`, writes each outcome to `out` (or
    /// nothing, for a summary), and gives the counts.
    pub(crate) fn go(&self, source: Source, out: &mut impl Write) -> io::Result<Summary> {
        let Source { reader, progress } = source;
        let summary = if self.jobs > 1 {
            self.parallel(reader, progress, out)?
        } else {
            let lines = Lines::new(BufReader::with_capacity(BUFFER, reader), self.keep());
            self.sequential(lines, progress, out)?
        };
        if self.output.summary_only {
            match self.output.format {
                super::output::Format::Json => summary.write_json(out)?,
                super::output::Format::Text => summary.write_text(out)?,
            }
        }
        out.flush()?;
        Ok(summary)
    }

    /// The longest line kept whole.
    fn keep(&self) -> usize {
        let max_target_len = self.classifier.parser.current_limits().max_target_len;
        self.classifier
            .input
            .max_log_line(max_target_len)
            .unwrap_or_else(|| keep_for_targets(max_target_len))
    }

    fn sequential<R: Read>(
        &self,
        mut lines: Lines<BufReader<R>>,
        mut progress: Progress,
        out: &mut impl Write,
    ) -> io::Result<Summary> {
        let mut summary = Summary::default();
        let mut scratch = Vec::new();
        let mut buffer = Vec::with_capacity(2 * WRITE_AT);
        let mut number = 0;
        while let Some(line) = lines.next_line()? {
            number += 1;
            let outcome = self.classifier.classify(line, &mut scratch);
            self.output
                .record(&mut buffer, &mut summary, number, &outcome)?;
            // The outcome borrows the line, which borrows the reader.
            drop(outcome);
            progress.advance(1, lines.consumed());
            let drained = lines.drained();
            if drained || buffer.len() >= WRITE_AT {
                out.write_all(&buffer)?;
                buffer.clear();
            }
            if drained {
                out.flush()?;
            }
        }
        out.write_all(&buffer)?;
        progress.finish();
        Ok(summary)
    }

    fn parallel<R: Read + Send>(
        &self,
        reader: R,
        progress: Progress,
        out: &mut impl Write,
    ) -> io::Result<Summary> {
        thread::scope(|scope| {
            let mut to_workers = Vec::with_capacity(self.jobs);
            let mut from_workers = Vec::with_capacity(self.jobs);
            let mut workers = Vec::with_capacity(self.jobs);
            // Buffers go back where they came from, so that the steady
            // state allocates (and faults in fresh pages for) nothing.
            let (spare_input, spare_inputs) = sync_channel::<Vec<u8>>(SPARE * self.jobs);
            let mut output_pools = Vec::with_capacity(self.jobs);
            for _ in 0..self.jobs {
                let (work, work_rx) = sync_channel::<Work>(IN_FLIGHT);
                let (done_tx, done) = sync_channel::<Done>(IN_FLIGHT);
                let (pool_tx, pool) = sync_channel::<Vec<u8>>(SPARE);
                let spare_input = spare_input.clone();
                workers.push(scope.spawn(move || {
                    self.work(&work_rx, &done_tx, &spare_input, &pool);
                }));
                to_workers.push(work);
                from_workers.push(done);
                output_pools.push(pool_tx);
            }
            drop(spare_input);
            let keep = self.keep();
            let reader = scope
                .spawn(move || read_chunks(reader, keep, progress, &to_workers, &spare_inputs));
            let written = write_in_order(from_workers, &output_pools, out);
            let read = reader.join().unwrap_or_else(|_| Err(stopped("the reader")));
            // A worker that stopped early would have cut the output short.
            for worker in workers {
                worker.join().map_err(|_| stopped("a worker"))?;
            }
            read?;
            written
        })
    }

    /// A worker: the lines of each piece of work classified and written,
    /// in order.
    fn work(
        &self,
        work: &Receiver<Work>,
        done: &SyncSender<Done>,
        spare_input: &SyncSender<Vec<u8>>,
        pool: &Receiver<Vec<u8>>,
    ) {
        let mut scratch = Vec::new();
        while let Ok(piece) = work.recv() {
            let mut out = pool.try_recv().unwrap_or_default();
            out.clear();
            let mut summary = Summary::default();
            match &piece {
                Work::Chunk {
                    first,
                    start,
                    bytes,
                } => {
                    if !self.output.summary_only {
                        out.reserve(bytes.len() * 2);
                    }
                    let mut lines = Lines::new(&bytes[..], self.keep());
                    if !start {
                        lines = lines.after_start();
                    }
                    let mut number = *first;
                    // Reading a slice cannot fail.
                    while let Ok(Some(line)) = lines.next_line() {
                        self.record(&mut out, &mut summary, &mut scratch, number, line);
                        number += 1;
                    }
                }
                Work::Long { number, long } => {
                    let line = Line::Long(long.borrowed());
                    self.record(&mut out, &mut summary, &mut scratch, *number, line);
                }
            }
            if let Work::Chunk { bytes, .. } = piece {
                // A full pool lets the buffer go.
                let _ = spare_input.try_send(bytes);
            }
            if done.send(Done { out, summary }).is_err() {
                return;
            }
        }
    }
}

impl Run {
    /// One line of a worker's, into its output.
    fn record(
        &self,
        out: &mut Vec<u8>,
        summary: &mut Summary,
        scratch: &mut Vec<u8>,
        number: u64,
        line: Line<'_>,
    ) {
        let outcome = self.classifier.classify(line, scratch);
        // Writing to a Vec cannot fail.
        let _ = self.output.record(out, summary, number, &outcome);
    }
}

/// What a worker is handed.
enum Work {
    /// Whole lines as read (the last may lack its `\n` at the end of the
    /// input): `first` is the number of the first, and `start` tells
    /// whether they begin the input (where a byte order mark is skipped).
    Chunk {
        first: u64,
        start: bool,
        bytes: Vec<u8>,
    },
    /// Line `number`, too long for a chunk, as far as it was kept.
    Long { number: u64, long: OwnedLongLine },
}

/// A [`LongLine`] that owns its head.
struct OwnedLongLine {
    head: Vec<u8>,
    len: usize,
    target_len: usize,
    method_len: Option<usize>,
}

impl OwnedLongLine {
    fn of(long: &LongLine<'_>) -> OwnedLongLine {
        OwnedLongLine {
            head: long.head.to_vec(),
            len: long.len,
            target_len: long.target_len,
            method_len: long.method_len,
        }
    }

    fn borrowed(&self) -> LongLine<'_> {
        LongLine {
            head: &self.head,
            len: self.len,
            target_len: self.target_len,
            method_len: self.method_len,
        }
    }
}

/// A piece of work's output and counts.
struct Done {
    out: Vec<u8>,
    summary: Summary,
}

/// The reader: chunks of whole lines to the workers, in turn.
fn read_chunks<R: Read>(
    mut input: R,
    keep: usize,
    mut progress: Progress,
    workers: &[SyncSender<Work>],
    spare: &Receiver<Vec<u8>>,
) -> io::Result<()> {
    // A chunk holds at least two lines that are kept whole.
    let chunk = CHUNK.max(keep.saturating_mul(2));
    let mut turn = (0..workers.len()).cycle();
    let mut send = |work: Work| {
        let next = turn.next().unwrap_or(0);
        // A send fails only when the writer stopped (a closed pipe); then
        // nothing more is wanted.
        workers[next].send(work).is_ok()
    };
    let mut carry: Vec<u8> = Vec::new();
    let mut number: u64 = 1;
    let mut consumed: u64 = 0;
    loop {
        let mut bytes = spare.try_recv().unwrap_or_default();
        bytes.clear();
        bytes.append(&mut carry);
        let held = bytes.len();
        bytes.resize(chunk.max(held + 1), 0);
        let read = loop {
            match input.read(&mut bytes[held..]) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => break result?,
            }
        };
        bytes.truncate(held + read);
        let end = read == 0;
        if end && bytes.is_empty() {
            break;
        }
        let start = consumed == 0;
        let cut = match memchr::memrchr(b'\n', &bytes) {
            _ if end => bytes.len(),
            Some(at) => at + 1,
            None if bytes.len() < chunk => {
                carry = bytes;
                continue;
            }
            None => {
                // One line longer than a chunk: measured here, not kept.
                let mut one = Lines::new(
                    BufReader::new(io::Cursor::new(bytes).chain(&mut input)),
                    keep,
                );
                if !start {
                    one = one.after_start();
                }
                let long = match one.next_line()? {
                    Some(Line::Long(long)) => OwnedLongLine::of(&long),
                    // Not reached: the line is longer than `keep`.
                    Some(Line::Kept(_)) | None => return Err(stopped("the reader's long line")),
                };
                consumed += one.consumed();
                carry = one.leftover().to_vec();
                progress.advance(1, consumed);
                if !send(Work::Long { number, long }) {
                    return Ok(());
                }
                number += 1;
                continue;
            }
        };
        carry.extend_from_slice(&bytes[cut..]);
        bytes.truncate(cut);
        let ends = memchr::memchr_iter(b'\n', &bytes).count() as u64;
        let lines = ends + u64::from(!bytes.ends_with(b"\n"));
        consumed += cut as u64;
        progress.advance(lines, consumed);
        if !send(Work::Chunk {
            first: number,
            start,
            bytes,
        }) {
            return Ok(());
        }
        number += lines;
        if end {
            break;
        }
    }
    progress.finish();
    Ok(())
}

/// The writer: each worker's results in turn, so in input order. It ends
/// when the worker whose turn it is has no more: the reader sent it none.
fn write_in_order(
    workers: Vec<Receiver<Done>>,
    pools: &[SyncSender<Vec<u8>>],
    out: &mut impl Write,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    for turn in (0..workers.len()).cycle() {
        let Ok(done) = workers[turn].recv() else {
            break;
        };
        if let Err(error) = out.write_all(&done.out).and_then(|()| out.flush()) {
            // Dropping the receivers stops the workers, and so the reader.
            drop(workers);
            return Err(error);
        }
        summary.merge(done.summary);
        // A full pool lets the buffer go.
        let _ = pools[turn].try_send(done.out);
    }
    Ok(summary)
}

fn stopped(part: &str) -> io::Error {
    io::Error::other(format!("internal error: {part} stopped"))
}
