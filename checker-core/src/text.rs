//! Filling `{placeholder}`s in rule texts and picking the text of the output language.
