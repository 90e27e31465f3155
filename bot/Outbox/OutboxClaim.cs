using EmpowerBot.Storage;

namespace EmpowerBot.Outbox;

/// <summary>
/// A message this instance claimed: <paramref name="Row"/> is the leased row (with its ETag, so every later write is
/// conditional on still owning it), due again at <paramref name="LeaseUntil"/> if this instance never reports back.
/// <paramref name="Reclaimed"/> is true when the previous claim ran out without an outcome (a crash, or a hang).
/// </summary>
internal sealed record OutboxClaim(TableEntity Row, OutboxMessage Message, int Attempt, DateTimeOffset LeaseUntil, bool Reclaimed);
