namespace EmpowerBot.Outbox;

/// <summary>
/// What a handler tells the dispatcher about one delivery attempt. A closed set: build one with the static members
/// (<see cref="Delivered"/>, <see cref="RetryLater"/>, <see cref="Drop"/>, <see cref="Failed"/>).
/// </summary>
public abstract record DeliveryOutcome
{
    private DeliveryOutcome() { }

    /// <summary>The peer has it; the message is removed.</summary>
    public static DeliveryOutcome Delivered { get; } = new Success();

    /// <summary>
    /// A transient failure: try again after <paramref name="after"/> (e.g. the peer's Retry-After), or after an
    /// exponential backoff with jitter when null. Past <see cref="OutboxOptions.MaxAge"/> it becomes a dead letter.
    /// </summary>
    public static DeliveryOutcome RetryLater(string reason, TimeSpan? after = null) => new Retry(reason, after);

    /// <summary>Not yet, on purpose (e.g. held during a quiet-time break): retried like RetryLater, but not logged as a failure.</summary>
    public static DeliveryOutcome Hold(string reason, TimeSpan after) => new Retry(reason, after) { Expected = true };

    /// <summary>Nothing to do any more (e.g. the approval was decided before its reminder); removed, logged at Information.</summary>
    public static DeliveryOutcome Drop(string reason) => new Dropped(reason);

    /// <summary>It will never succeed (e.g. the peer answered 400): kept as a dead letter for an operator.</summary>
    public static DeliveryOutcome Failed(string reason) => new Failure(reason);

    public sealed record Success : DeliveryOutcome;

    public sealed record Retry(string Reason, TimeSpan? After) : DeliveryOutcome
    {
        /// <summary>True when waiting is the plan, not a fault (see <see cref="Hold"/>).</summary>
        public bool Expected { get; init; }
    }

    public sealed record Dropped(string Reason) : DeliveryOutcome;

    public sealed record Failure(string Reason) : DeliveryOutcome;

    /// <summary>The app stopped mid-delivery; the message is put back as due so the next instance takes it at once.</summary>
    internal sealed record Interrupted : DeliveryOutcome;
}
