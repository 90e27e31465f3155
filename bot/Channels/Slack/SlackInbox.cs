using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Acknowledged Slack requests waiting for the background worker: bounded lanes, one person always on the same
/// lane so their requests run in order. Also remembers recently accepted ids, so a retried event or a double
/// delivery is skipped instead of run twice (the ledger's idempotency key still guards credits across restarts).
/// </summary>
public sealed class SlackInbox
{
    private static readonly TimeSpan Remembered = TimeSpan.FromHours(1);
    private const int MaxRemembered = 50_000;

    private readonly Channel<SlackInbound>[] lanes;
    private readonly ConcurrentDictionary<string, DateTimeOffset> seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> pending = new(StringComparer.Ordinal);
    private readonly TimeProvider clock;

    public SlackInbox(IOptions<SlackOptions> options, TimeProvider clock)
    {
        this.clock = clock;
        var o = options.Value;
        lanes = Enumerable.Range(0, o.Workers)
            .Select(_ => Channel.CreateBounded<SlackInbound>(new BoundedChannelOptions(o.QueueCapacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            }))
            .ToArray();
    }

    public int LaneCount => lanes.Length;

    public ChannelReader<SlackInbound> Lane(int index) => lanes[index].Reader;

    /// <summary>True when this id was accepted within the last hour.</summary>
    public bool HasSeen(string activityId) => seen.TryGetValue(activityId, out var at) && clock.GetUtcNow() - at < Remembered;

    /// <summary>
    /// Queues the request unless its id was already accepted. <see cref="Accepted.Full"/> means the lane is full:
    /// answer so that Slack retries later, and nothing is remembered.
    /// </summary>
    public Accepted TryAccept(SlackInbound inbound)
    {
        var now = clock.GetUtcNow();
        if (!seen.TryAdd(inbound.ActivityId, now))
        {
            if (HasSeen(inbound.ActivityId)) return Accepted.Duplicate;
            seen[inbound.ActivityId] = now;
        }
        pending[inbound.ActivityId] = 0;
        if (!lanes[LaneOf(inbound.PersonKey)].Writer.TryWrite(inbound))
        {
            pending.TryRemove(inbound.ActivityId, out _);
            seen.TryRemove(inbound.ActivityId, out _);
            return Accepted.Full;
        }
        if (seen.Count > MaxRemembered) Forget(now);
        return Accepted.Queued;
    }

    /// <summary>True while the request is queued or running in this instance.</summary>
    public bool IsPending(string activityId) => pending.ContainsKey(activityId);

    /// <summary>Requests accepted and not yet finished; tests wait on it instead of sleeping.</summary>
    internal int PendingCount => pending.Count;

    /// <summary>The worker is done with the request (answered, or failed and logged).</summary>
    public void Finished(string activityId) => pending.TryRemove(activityId, out _);

    /// <summary>Stops the lanes: the worker finishes what is queued and ends.</summary>
    public void Complete()
    {
        foreach (var lane in lanes) lane.Writer.TryComplete();
    }

    private int LaneOf(string personKey) => (int)((uint)StringComparer.OrdinalIgnoreCase.GetHashCode(personKey) % (uint)lanes.Length);

    private void Forget(DateTimeOffset now)
    {
        foreach (var (id, at) in seen)
        {
            if (now - at >= Remembered) seen.TryRemove(id, out _);
        }
        // Still too many (a flood within the hour): drop the oldest half rather than grow without bound.
        if (seen.Count > MaxRemembered)
        {
            foreach (var id in seen.OrderBy(s => s.Value).Take(seen.Count / 2).Select(s => s.Key)) seen.TryRemove(id, out _);
        }
    }

    public enum Accepted { Queued, Duplicate, Full }
}
