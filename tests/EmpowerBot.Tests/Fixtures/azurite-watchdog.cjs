// Loaded into Azurite's node process by AzuriteProcess: ends the emulator once the test process that started it is
// gone, also when that process was killed without running its clean-up (an orphan's parent becomes another process).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000).unref();
