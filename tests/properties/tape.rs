//! Randomness: the tape of structural choices, and a small PRNG for
//! contents seeded from it.

/// The tape of structural choices; 0 once it runs out.
pub struct Tape {
    pub values: Vec<u32>,
    pub next: usize,
}

impl Tape {
    pub fn new(values: Vec<u32>) -> Tape {
        Tape { values, next: 0 }
    }

    pub fn draw(&mut self) -> u32 {
        let value = self.values.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        value
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.draw()).unwrap() % n
    }

    /// True with about `percent`% probability; false for a 0 draw.
    pub fn chance(&mut self, percent: u32) -> bool {
        self.draw() % 100 >= 100 - percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A PRNG for contents (ID characters, casing), seeded from the tape.
    pub fn rng(&mut self) -> Rng {
        Rng(u64::from(self.draw()))
    }
}

/// splitmix64.
pub struct Rng(u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    pub fn string(&mut self, alphabet: &[u8], min: usize, max: usize) -> String {
        let len = min + self.below(max - min + 1);
        (0..len).map(|_| char::from(*self.pick(alphabet))).collect()
    }

    /// Each ASCII letter in a random case.
    pub fn mixed_case(&mut self, word: &str) -> String {
        word.chars()
            .map(|c| {
                if self.chance(50) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    }

    /// `%XX` for a byte, hex digits in a random case.
    pub fn escape(&mut self, b: u8) -> String {
        let text = format!("%{b:02X}");
        if self.chance(50) {
            text.to_ascii_lowercase()
        } else {
            text
        }
    }
}
