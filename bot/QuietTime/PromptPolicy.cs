using System.Globalization;

namespace EmpowerBot.QuietTime;

/// <summary>Why the bot does not offer a break right now; <see cref="None"/> when it does.</summary>
public enum Guard { None, PromptsOff, OptedOut, OnBreak, DeclinedToday, Snoozed, WaitingForSlot, OutsideWorkingHours, DailyLimit, TooSoon, NotNeeded }

/// <summary>The verdict on one person at one moment: offer a break (with the sentence that says why), or the guard that held it back.</summary>
public sealed record PromptDecision(Guard Guard, string? Reason = null)
{
    public bool Prompt => Guard == Guard.None;
}

/// <summary>
/// A team's prompt rule and guards, immutable once built from configuration. Pure: the same state and instant give the
/// same decision, so every rule and guard is testable without a clock or a store.
/// </summary>
public sealed record PromptPolicy(QuietTimeOptions Options, TimeOnly DayStart, TimeOnly DayEnd, IReadOnlySet<DayOfWeek> Days)
{
    /// <summary>A snoozed or waiting person's offer may come this long after it was due before it counts as forgotten.</summary>
    public static readonly TimeSpan FollowUpPatience = TimeSpan.FromHours(1);

    public static PromptPolicy From(QuietTimeOptions o)
    {
        var (start, end) = ParseHours(o.WorkingHours) ?? throw new FormatException($"WorkingHours '{o.WorkingHours}' is not HH:mm-HH:mm.");
        var days = ParseDays(o.WorkingDays) ?? throw new FormatException($"WorkingDays '{o.WorkingDays}' is not a list like Mon,Tue,Wed.");
        return new PromptPolicy(o, start, end, days);
    }

    public int BreakMinutes => Options.BreakMinutes;

    /// <summary>Should the bot offer this person a break now, after recording their latest activity?</summary>
    public PromptDecision Decide(PersonState s, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (!Options.PromptsEnabled) return new(Guard.PromptsOff);
        var common = CommonGuard(s, now, zone);
        if (common != Guard.None) return new(common);
        if (s.SnoozedUntil is { } snoozed && now - snoozed < FollowUpPatience) return new(Guard.Snoozed);
        if (s.WaitingSince is { } waiting && now - waiting < FollowUpPatience) return new(Guard.WaitingForSlot);
        var day = LocalDay(now, zone);
        if (s.PromptDay == day && s.PromptsToday >= Options.MaxPromptsPerDay) return new(Guard.DailyLimit);
        if (s.LastPromptAt is { } last && now - last < Options.MinTimeBetweenPrompts) return new(Guard.TooSoon);
        return Reason(s, now) is { } reason ? new(Guard.None, reason) : new(Guard.NotNeeded);
    }

    /// <summary>
    /// For an offer the person is already waiting for (a snooze, or "you're next" when a slot frees): the rule and the
    /// frequency guards were passed when it was first due, so only what may have changed since counts.
    /// </summary>
    public Guard DecideFollowUp(PersonState s, DateTimeOffset now, TimeZoneInfo zone) => CommonGuard(s, now, zone);

    private Guard CommonGuard(PersonState s, DateTimeOffset now, TimeZoneInfo zone) =>
        s.OptedOut ? Guard.OptedOut
        : s.IsOnBreak(now) ? Guard.OnBreak
        : s.DeclinedDay == LocalDay(now, zone) ? Guard.DeclinedToday
        : !IsWorkingTime(s, now, zone) ? Guard.OutsideWorkingHours
        : Guard.None;

    /// <summary>Between shift-start and shift-end signals when the platform sends them, else the team's working days and hours.</summary>
    public bool IsWorkingTime(PersonState s, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (s.ShiftStart is { } start && now - start <= Options.MaxShift && (s.ShiftEnd is null || s.ShiftEnd < start)) return true;
        if (s.ShiftEnd is { } end && now - end <= Options.MaxShift && (s.ShiftStart is null || s.ShiftStart <= end)) return false;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        if (DayEnd > DayStart) return Days.Contains(local.DayOfWeek) && time >= DayStart && time < DayEnd;
        // Hours across midnight belong to the day they started on.
        return time >= DayStart ? Days.Contains(local.DayOfWeek) : time < DayEnd && Days.Contains(local.AddDays(-1).DayOfWeek);
    }

    /// <summary>The sentence that says why a break is offered, or null when no rule fired.</summary>
    public string? Reason(PersonState s, DateTimeOffset now)
    {
        var o = Options;
        var difficult = s.Difficult.Count(t => now - t <= o.DifficultWindow);
        if (o.DifficultInteractions > 0 && difficult >= o.DifficultInteractions)
            return $"You've had {difficult} difficult conversations in the last {Duration(o.DifficultWindow)}.";
        var busy = o.InteractionsSinceBreak > 0 && s.Handled >= o.InteractionsSinceBreak;
        var stretch = s.ActiveSince is { } since && s.LastActive is { } last && now - last < o.ActivityGap ? now - since : TimeSpan.Zero;
        var continuous = o.ContinuousActivity > TimeSpan.Zero && stretch >= o.ContinuousActivity;
        if (!busy && !continuous) return null;
        return s.Handled > 0 && s.HandledSince is { } first
            ? $"You've handled {s.Handled} {(s.Handled == 1 ? "conversation" : "conversations")} {Since(now - first)}."
            : $"You've been working for {Duration(stretch)} without a pause.";
    }

    public static string LocalDay(DateTimeOffset now, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(now, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Since(TimeSpan t) => t < TimeSpan.FromMinutes(5) ? "in the last few minutes" : $"in the last {Duration(t)}";

    public static string Duration(TimeSpan t)
    {
        var minutes = (int)Math.Round(t.TotalMinutes);
        return minutes < 120 ? $"{minutes} minutes" : $"{minutes / 60} hours";
    }

    public static (TimeOnly Start, TimeOnly End)? ParseHours(string? text)
    {
        var parts = (text ?? "").Split('-', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
            && TimeOnly.TryParseExact(parts[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
            && start != end
            ? (start, end)
            : null;
    }

    public static IReadOnlySet<DayOfWeek>? ParseDays(string? text)
    {
        var names = CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames;
        var days = new HashSet<DayOfWeek>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var index = Array.FindIndex(names, n => string.Equals(n, part, StringComparison.OrdinalIgnoreCase));
            if (index < 0) return null;
            days.Add((DayOfWeek)index);
        }
        return days.Count == 0 ? null : days;
    }
}
