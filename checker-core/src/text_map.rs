//! [`TextMap`], the string-keyed maps of the rules data.
//!
//! A sorted `Vec` rather than a `BTreeMap`: the rules have a few dozen keys per map, and each
//! `BTreeMap<String, T>` instantiation (insert with node splitting, drop, search) cost about
//! 4 KB of WebAssembly, five of them a third of the module after serde was gone. It iterates,
//! serializes and compares exactly like the `BTreeMap` it replaces (keys in `String` order).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A map from string keys to `T`, kept sorted by key, each key once.
#[derive(Clone, PartialEq, Eq)]
pub struct TextMap<T>(Vec<(String, T)>);

impl<T> TextMap<T> {
    /// An empty map.
    pub fn new() -> Self {
        TextMap(Vec::new())
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }

    /// Inserts or replaces the value of `key`; returns the value replaced.
    pub fn insert(&mut self, key: String, value: T) -> Option<T> {
        match self.position(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    /// The value of `key`, if any.
    pub fn get(&self, key: &str) -> Option<&T> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    /// The value of `key`, mutable, if any.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut T> {
        self.position(key).ok().map(|i| &mut self.0[i].1)
    }

    /// Removes `key`; returns its value, if it had one.
    pub fn remove(&mut self, key: &str) -> Option<T> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }

    /// Whether `key` has a value.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// How many keys there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Entries in key order.
    pub fn iter(&self) -> Iter<'_, T> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Entries in key order, values mutable.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut T)> {
        self.0.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Keys in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    /// Values in key order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.0.iter().map(|(_, v)| v)
    }

    /// Values in key order, mutable.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut().map(|(_, v)| v)
    }
}

impl<T> Default for TextMap<T> {
    fn default() -> Self {
        TextMap::new()
    }
}

/// The iterator of [`TextMap::iter`]: `(&key, &value)` in key order, as `BTreeMap` gives them.
pub(crate) type Iter<'a, T> =
    std::iter::Map<std::slice::Iter<'a, (String, T)>, fn(&'a (String, T)) -> (&'a String, &'a T)>;

impl<'a, T> IntoIterator for &'a TextMap<T> {
    type Item = (&'a String, &'a T);
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> FromIterator<(String, T)> for TextMap<T> {
    /// A repeated key keeps its last value, as `BTreeMap` does.
    fn from_iter<I: IntoIterator<Item = (String, T)>>(iter: I) -> Self {
        let mut map = TextMap::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

impl<T> std::ops::Index<&str> for TextMap<T> {
    type Output = T;

    /// The value of `key`; panics when there is none (tests' shorthand, as with `BTreeMap`).
    fn index(&self, key: &str) -> &T {
        match self.get(key) {
            Some(v) => v,
            None => panic!("no key {key:?} in the map"),
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for TextMap<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<T: Serialize> Serialize for TextMap<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for TextMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::<String, T>::deserialize(deserializer).map(|m| TextMap(m.into_iter().collect()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::collections::BTreeMap;

    use super::TextMap;

    #[test]
    fn behaves_like_the_btree_map_it_replaces() {
        let pairs = [("b", 1), ("a", 2), ("中", 3), ("B", 4), ("a", 5), ("", 6)];
        let ours: TextMap<i32> = pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        let theirs: BTreeMap<String, i32> =
            pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        assert!(ours.iter().eq(theirs.iter()));
        assert_eq!(ours.len(), theirs.len());
        assert_eq!(ours.get("a"), Some(&5));
        assert_eq!(ours["中"], 3);
        assert_eq!(ours.get("c"), None);
        assert!(ours.contains_key("") && !ours.contains_key("c"));
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
        let back: TextMap<i32> = serde_json::from_str(r#"{"z": 1, "a": 2, "z": 3}"#).unwrap();
        assert!(back
            .iter()
            .eq([(&"a".to_owned(), &2), (&"z".to_owned(), &3)]));
        assert!(TextMap::<i32>::default().is_empty());

        let mut edited = ours.clone();
        let mut expected = theirs.clone();
        *edited.get_mut("b").unwrap() += 10;
        *expected.get_mut("b").unwrap() += 10;
        assert_eq!(edited.remove("a"), expected.remove("a"));
        assert_eq!(edited.remove("a"), None);
        for (_, v) in edited.iter_mut() {
            *v *= 2;
        }
        for v in expected.values_mut() {
            *v *= 2;
        }
        assert!(edited.iter().eq(expected.iter()));
        assert_eq!(edited.insert("b".to_owned(), 0), Some(22));
    }
}
