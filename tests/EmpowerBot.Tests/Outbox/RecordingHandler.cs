using System.Collections.Concurrent;
using EmpowerBot.Outbox;

namespace EmpowerBot.Tests.Outbox;

/// <summary>
/// A test-only <see cref="IOutboxHandler"/>: records every attempt, answers what <see cref="Behaviour"/> says
/// (Delivered by default), and notices if two deliveries of one message ever overlap.
/// </summary>
public sealed class RecordingHandler(string kind = RecordingHandler.DefaultKind) : IOutboxHandler
{
    public const string DefaultKind = "test.note";

    private readonly ConcurrentQueue<(OutboxMessage Message, int Attempt)> attempts = new();
    private readonly ConcurrentDictionary<string, int> inFlight = new();
    private int overlaps;

    public string Kind => kind;

    /// <summary>Decides each attempt's outcome; may block, throw or honour the token.</summary>
    public Func<OutboxMessage, int, CancellationToken, Task<DeliveryOutcome>> Behaviour { get; set; } =
        (_, _, _) => Task.FromResult(DeliveryOutcome.Delivered);

    public IReadOnlyList<(OutboxMessage Message, int Attempt)> Attempts => attempts.ToArray();

    /// <summary>Times two attempts of the same message ran at once; must stay 0.</summary>
    public int Overlaps => Volatile.Read(ref overlaps);

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        attempts.Enqueue((message, attempt));
        if (inFlight.AddOrUpdate(message.Id, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref overlaps);
        try
        {
            return await Behaviour(message, attempt, ct);
        }
        finally
        {
            inFlight.AddOrUpdate(message.Id, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Answers each attempt with the next outcome of the list, then Delivered.</summary>
    public RecordingHandler Answering(params DeliveryOutcome[] outcomes)
    {
        var queue = new ConcurrentQueue<DeliveryOutcome>(outcomes);
        Behaviour = (_, _, _) => Task.FromResult(queue.TryDequeue(out var next) ? next : DeliveryOutcome.Delivered);
        return this;
    }
}
