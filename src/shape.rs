//! Route shapes: what a route is without its values (the rows of its steps,
//! in order), packed into one number, and the table that tells whether a
//! shape is one of the documented templates.
//!
//! Two routes with the same shape have the same template. The walk builds
//! a route's [`ShapeKey`] one step at a time, so that looking the route up
//! among the documented shapes costs one multiplication and one comparison
//! once the walk is done.

use crate::model::EDGE_COUNT;

/// Bits a step takes in a key: enough for `1 + row` of every row, so that
/// no step is 0 and keys of different lengths differ.
const STEP_BITS: u32 = usize::BITS - EDGE_COUNT.leading_zeros();

/// Steps that fit in a key. More than every documented route has (7);
/// longer routes have no key and are never documented.
const KEYED_STEPS: u32 = u64::BITS / STEP_BITS;

/// A route's shape packed into one number, [`STEP_BITS`] a step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ShapeKey {
    bits: u64,
    steps: u32,
}

impl ShapeKey {
    /// The key followed by one more step, of the row `row`.
    #[inline]
    pub(crate) fn with(self, row: u8) -> ShapeKey {
        ShapeKey {
            bits: self.bits << STEP_BITS | (1 + u64::from(row)),
            steps: self.steps + 1,
        }
    }

    /// The key; `None` for a route longer than [`KEYED_STEPS`], whose first
    /// steps have been shifted out.
    #[inline]
    fn get(self) -> Option<u64> {
        (self.steps <= KEYED_STEPS).then_some(self.bits)
    }
}

/// A perfect hash table from shape keys to an index (of the documented
/// template with that shape): 64 slots, a key's slot the top 6 bits of the
/// key times a multiplier chosen, when the table is built, so that no two
/// keys share a slot.
#[derive(Debug)]
pub(crate) struct ShapeTable {
    multiplier: u64,
    /// `(key, index)`.
    slots: [Option<(u64, usize)>; 64],
}

impl ShapeTable {
    /// A table of `shapes`, the key of each at its index. At most 64
    /// different keys: the caller's 20 documented shapes.
    pub(crate) fn new(shapes: &[ShapeKey]) -> ShapeTable {
        let keys: Vec<(usize, u64)> = shapes
            .iter()
            .enumerate()
            .filter_map(|(index, shape)| Some((index, shape.get()?)))
            .collect();
        let mut multiplier = 0x9E37_79B9_7F4A_7C15_u64;
        loop {
            let mut slots = [None; 64];
            let fits = keys.iter().all(|&(index, key)| {
                let slot = &mut slots[Self::slot(multiplier, key)];
                match *slot {
                    None => {
                        *slot = Some((key, index));
                        true
                    }
                    // A shape given twice keeps its first index.
                    Some((held, _)) => held == key,
                }
            });
            if fits {
                return ShapeTable { multiplier, slots };
            }
            multiplier = multiplier.wrapping_add(0x6A09_E667_F3BC_C909) | 1;
        }
    }

    #[inline]
    fn slot(multiplier: u64, key: u64) -> usize {
        // The top six bits: always below 64.
        (key.wrapping_mul(multiplier) >> 58) as usize
    }

    /// The index of the shape, if it is in the table.
    #[inline]
    pub(crate) fn get(&self, shape: ShapeKey) -> Option<usize> {
        let key = shape.get()?;
        let (slot_key, index) = self.slots[Self::slot(self.multiplier, key)]?;
        (slot_key == key).then_some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(rows: &[u8]) -> ShapeKey {
        rows.iter()
            .fold(ShapeKey::default(), |key, &row| key.with(row))
    }

    #[test]
    fn every_row_fits_and_keys_of_other_lengths_differ() {
        let last = u8::try_from(EDGE_COUNT - 1).unwrap();
        assert!(u64::from(last) + 1 < 1 << STEP_BITS);
        assert_ne!(shape(&[0]), shape(&[0, 0]));
        assert_ne!(shape(&[0, 1]), shape(&[1, 0]));
    }

    #[test]
    fn finds_what_it_holds_and_nothing_else() {
        let shapes: Vec<ShapeKey> = (0..20).map(|n| shape(&[n, n / 2, 3])).collect();
        let table = ShapeTable::new(&shapes);
        for (index, &key) in shapes.iter().enumerate() {
            assert_eq!(table.get(key), Some(index));
        }
        assert_eq!(table.get(shape(&[0, 1, 3])), None);
        let long = shape(&[0; KEYED_STEPS as usize + 1]);
        assert_eq!(table.get(long), None);
    }
}
