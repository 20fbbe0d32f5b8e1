//! Every logrotate layout, in random sequences, against real files: a
//! writer appends numbered lines, logrotate rotates (up to twice between
//! two looks of the follower), and [`Tail`] must hand over every line
//! exactly once.

mod common;

use std::fs;

use common::rotate::{Layout, World, LAYOUTS};
use fiveohone::follow::tail::Tail;
use proptest::prelude::*;

#[derive(Debug, Clone, Copy)]
enum Op {
    /// The server writes this many lines.
    Append(usize),
    /// logrotate runs; with a rename, the server writes this many more
    /// lines to the old file before it reopens the log.
    Rotate(usize),
    /// The server, still writing to a renamed log, reopens it (logrotate's
    /// postrotate signal arrived).
    Reopen,
    /// The follower looks.
    Poll,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1usize..40).prop_map(Op::Append),
        2 => (0usize..4).prop_map(Op::Rotate),
        1 => Just(Op::Reopen),
        3 => Just(Op::Poll),
    ]
}

/// The numbers of the lines in `block`.
fn numbers(block: &[u8], seen: &mut Vec<usize>) {
    for line in block.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let text = String::from_utf8_lossy(line);
        let number = text
            .strip_prefix("line ")
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("not a line of the writer: {text:?}"));
        seen.push(number);
    }
}

/// Runs `ops` under `layout`; returns the lines written and those seen.
fn run(layout: Layout, ops: &[Op], case: usize) -> (usize, Vec<usize>) {
    let dir = common::temp_dir(&format!("rotations-{case}"));
    let mut world = World::new(dir.clone(), layout);
    world.write(3);
    let mut tail = Tail::new(world.path.clone());
    let mut seen = Vec::new();
    let poll = |tail: &mut Tail, seen: &mut Vec<usize>| {
        tail.poll(&mut |block, _| numbers(block, seen)).unwrap();
    };
    poll(&mut tail, &mut seen);
    let mut since_poll = 0;
    for op in ops {
        match *op {
            Op::Append(n) => world.write(n),
            Op::Rotate(late) => {
                // A file deleted before anyone opened it is gone: with
                // delete and create, the follower looks between two.
                let most = if layout == Layout::DeleteRecreate {
                    1
                } else {
                    2
                };
                if since_poll == most {
                    poll(&mut tail, &mut seen);
                    since_poll = 0;
                }
                world.rotate(late);
                since_poll += 1;
            }
            Op::Reopen => world.reopen(),
            Op::Poll => {
                poll(&mut tail, &mut seen);
                since_poll = 0;
            }
        }
    }
    world.reopen();
    poll(&mut tail, &mut seen);
    tail.finish(&mut |block, _| numbers(block, &mut seen));
    let _ = fs::remove_dir_all(dir);
    (world.next, seen)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn every_line_is_read_exactly_once(
        layout in 0usize..LAYOUTS.len(),
        ops in proptest::collection::vec(op(), 1..40),
        case in 0usize..1_000_000,
    ) {
        let layout = LAYOUTS[layout];
        let (written, mut seen) = run(layout, &ops, case);
        seen.sort_unstable();
        let want: Vec<usize> = (0..written).collect();
        prop_assert_eq!(seen, want, "{:?}", layout);
    }
}
