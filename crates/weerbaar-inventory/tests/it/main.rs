mod apk;
mod collect;
mod dpkg;
mod export;
mod os_release;
mod osquery;
mod rpm;
