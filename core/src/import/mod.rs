//! Moving a shop in: the pure rules of importing members from a file
//! another system or a notebook in Excel left behind. The store
//! (`store/import.rs`) loads the facts and writes; nothing here touches
//! the database.
//!
//! - `encoding`: which encoding a text file is in (a byte-order mark, then
//!   `chardetng`'s guess among UTF-8, Big5 with HKSCS, GBK/GB18030 …) and
//!   its text decoded by `encoding_rs`, or by the name a person gave;
//! - `table`: a file read as a table of text cells: CSV, TSV (the
//!   delimiter sniffed) or an Excel workbook's first sheet (`calamine`);
//! - `columns`: which field each column holds, guessed from Chinese and
//!   English headings, or given by a mapping file (JSON);
//! - `rows`: every row checked into a member to import, or the problems
//!   found (row, column, value), and the totals it would bring in.

pub mod columns;
pub mod encoding;
pub mod rows;
pub mod table;

pub use columns::{Field, Mapping};
pub use rows::{ImportPlan, ImportProblem, ImportRow, ImportTotals};
pub use table::Table;
