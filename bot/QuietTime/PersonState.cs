namespace EmpowerBot.QuietTime;

/// <summary>What moves the prompt rule: the bot's own turns and the contact-centre platform's signals.</summary>
public enum SignalKind { Turn, InteractionHandled, DifficultInteraction, ShiftStart, ShiftEnd }

/// <summary>
/// One person's quiet-time state (row "state" of their partition). It is read only to decide that person's own prompts
/// and breaks; nothing here is ever shown to anyone else. Transitions are pure, so the store can re-run them on a
/// conflict.
/// </summary>
public sealed record PersonState
{
    /// <summary>Keeps the most recent difficult interactions only; the rule needs a handful at most.</summary>
    public const int DifficultKept = 10;

    public bool OptedOut { get; init; }
    public string? BreakId { get; init; }
    public DateTimeOffset? BreakStart { get; init; }
    public DateTimeOffset? BreakUntil { get; init; }
    public bool BreakFromPrompt { get; init; }
    public DateTimeOffset? LastBreakEnd { get; init; }
    public DateTimeOffset? ActiveSince { get; init; }
    public DateTimeOffset? LastActive { get; init; }
    public int Handled { get; init; }
    public DateTimeOffset? HandledSince { get; init; }
    public IReadOnlyList<DateTimeOffset> Difficult { get; init; } = [];
    public DateTimeOffset? LastPromptAt { get; init; }
    public string? PromptDay { get; init; }
    public int PromptsToday { get; init; }
    public string? DeclinedDay { get; init; }
    public DateTimeOffset? SnoozedUntil { get; init; }
    public DateTimeOffset? WaitingSince { get; init; }
    public DateTimeOffset? ShiftStart { get; init; }
    public DateTimeOffset? ShiftEnd { get; init; }

    /// <summary>The row's ETag when read; null for a person never seen.</summary>
    public string? ETag { get; init; }

    public bool IsOnBreak(DateTimeOffset now) => BreakId is not null && BreakUntil > now;

    /// <summary>Turns closer together than this are one moment of activity, so an ordinary turn costs no write.</summary>
    public static readonly TimeSpan TurnGrain = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Records one signal. Nothing is tracked for someone who opted out, and nothing counts during a break but the
    /// shift signals: resting is not working. A pause of RestAfter or more was a rest, so the counts start afresh.
    /// </summary>
    public PersonState With(SignalKind kind, DateTimeOffset now, QuietTimeOptions o)
    {
        if (OptedOut) return this;
        if (kind == SignalKind.ShiftStart) return Rested() with { ShiftStart = now };
        if (kind == SignalKind.ShiftEnd) return this with { ShiftEnd = now, SnoozedUntil = null, WaitingSince = null };
        if (IsOnBreak(now)) return this;
        if (kind == SignalKind.Turn && ActiveSince is not null && LastActive is { } recent && now - recent < TurnGrain && now >= recent) return this;
        var s = LastActive is { } last && now - last >= o.RestAfter ? Fresh() : this;
        return kind switch
        {
            SignalKind.InteractionHandled => s.Active(now, o.ActivityGap) with { Handled = s.Handled + 1, HandledSince = s.HandledSince ?? now },
            SignalKind.DifficultInteraction => s.Active(now, o.ActivityGap) with
            {
                Difficult = s.Difficult.Where(t => now - t <= o.DifficultWindow).Append(now).TakeLast(DifficultKept).ToList(),
            },
            _ => s.Active(now, o.ActivityGap),
        };
    }

    /// <summary>A stretch of continuous activity goes on while the gaps stay shorter than <paramref name="gap"/>.</summary>
    private PersonState Active(DateTimeOffset now, TimeSpan gap) =>
        LastActive is { } last && now - last < gap && ActiveSince is not null
            ? this with { LastActive = now }
            : this with { ActiveSince = now, LastActive = now };

    public PersonState Prompted(DateTimeOffset now, string localDay) => this with
    {
        LastPromptAt = now,
        PromptsToday = PromptDay == localDay ? PromptsToday + 1 : 1,
        PromptDay = localDay,
        SnoozedUntil = null,
        WaitingSince = null,
    };

    public PersonState Waiting(DateTimeOffset now) => this with { WaitingSince = now, SnoozedUntil = null };

    public PersonState Snoozed(DateTimeOffset until) => this with { SnoozedUntil = until, WaitingSince = null };

    public PersonState Declined(string localDay) => this with { DeclinedDay = localDay, SnoozedUntil = null, WaitingSince = null };

    /// <summary>"breaks off": no more prompts, and nothing kept about how busy the person has been.</summary>
    public PersonState OptedOutNow() => Rested() with { OptedOut = true };

    public PersonState OnBreak(string id, DateTimeOffset start, DateTimeOffset until, bool fromPrompt) => this with
    {
        BreakId = id,
        BreakStart = start,
        BreakUntil = until,
        BreakFromPrompt = fromPrompt,
        SnoozedUntil = null,
        WaitingSince = null,
    };

    public PersonState BreakEnded(DateTimeOffset now) => Rested() with
    {
        BreakId = null,
        BreakStart = null,
        BreakUntil = null,
        BreakFromPrompt = false,
        LastBreakEnd = now,
    };

    /// <summary>A break (or a new shift) starts every count afresh, and ends any offer still pending.</summary>
    private PersonState Rested() => Fresh() with { SnoozedUntil = null, WaitingSince = null };

    private PersonState Fresh() => this with { ActiveSince = null, LastActive = null, Handled = 0, HandledSince = null, Difficult = [] };
}
