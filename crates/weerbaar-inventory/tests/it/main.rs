mod spdx;
