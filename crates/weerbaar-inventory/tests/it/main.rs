mod cyclonedx;
