//! Classification core of the beian-guide expiry checker: pure logic, no I/O.
