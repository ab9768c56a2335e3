mod csv_import;
mod lockfile;
