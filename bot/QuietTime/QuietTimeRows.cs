using System.Globalization;
using EmpowerBot.Storage;

namespace EmpowerBot.QuietTime;

/// <summary>
/// The quiettime table. A person's partition "{tenant}|{person}" holds "state" and their own break log "break|{start}";
/// a team's partition "{tenant}|team|{team id}" holds "coverage" (reps on a break now), "slot|{break id}" (one per
/// break in progress, with its end, no person) and "tally|{local date}" (team counts only). Person keys always hold
/// a ':' and "team|…" never does, so the two kinds of partition cannot meet.
/// </summary>
internal static class QuietTimeRows
{
    public const string State = "state";
    public const string BreakPrefix = "break|";
    public const string Coverage = "coverage";
    public const string SlotPrefix = "slot|";
    public const string TallyPrefix = "tally|";

    public static string Person(string tenant, string person) => Tables.Key(tenant, person);

    public static string Team(string tenant, string teamId) => Tables.Key(tenant, "team", teamId);

    public static string Break(DateTimeOffset start) => BreakPrefix + start.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static string Tally(string localDay) => TallyPrefix + localDay;

    public static PersonState ReadState(TableEntity? row) => row is null ? new PersonState() : new PersonState
    {
        OptedOut = row.GetBool("optedOut"),
        BreakId = row.GetString("breakId"),
        BreakStart = row.GetTime("breakStart"),
        BreakUntil = row.GetTime("breakUntil"),
        BreakFromPrompt = row.GetBool("breakFromPrompt"),
        LastBreakEnd = row.GetTime("lastBreakEnd"),
        ActiveSince = row.GetTime("activeSince"),
        LastActive = row.GetTime("lastActive"),
        Handled = (int)row.GetInt64("handled"),
        HandledSince = row.GetTime("handledSince"),
        Difficult = (row.GetString("difficult") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => DateTimeOffset.FromUnixTimeSeconds(long.Parse(s, CultureInfo.InvariantCulture))).ToList(),
        LastPromptAt = row.GetTime("lastPromptAt"),
        PromptDay = row.GetString("promptDay"),
        PromptsToday = (int)row.GetInt64("promptsToday"),
        DeclinedDay = row.GetString("declinedDay"),
        SnoozedUntil = row.GetTime("snoozedUntil"),
        WaitingSince = row.GetTime("waitingSince"),
        ShiftStart = row.GetTime("shiftStart"),
        ShiftEnd = row.GetTime("shiftEnd"),
        ETag = row.ETag,
    };

    public static TableEntity WriteState(string partition, PersonState s)
    {
        var p = new Dictionary<string, object?>();
        if (s.OptedOut) p["optedOut"] = true;
        Set(p, "breakId", s.BreakId);
        Set(p, "breakStart", s.BreakStart);
        Set(p, "breakUntil", s.BreakUntil);
        if (s.BreakFromPrompt) p["breakFromPrompt"] = true;
        Set(p, "lastBreakEnd", s.LastBreakEnd);
        Set(p, "activeSince", s.ActiveSince);
        Set(p, "lastActive", s.LastActive);
        if (s.Handled > 0) p["handled"] = (long)s.Handled;
        Set(p, "handledSince", s.HandledSince);
        if (s.Difficult.Count > 0) p["difficult"] = string.Join(',', s.Difficult.Select(t => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        Set(p, "lastPromptAt", s.LastPromptAt);
        Set(p, "promptDay", s.PromptDay);
        if (s.PromptsToday > 0) p["promptsToday"] = (long)s.PromptsToday;
        Set(p, "declinedDay", s.DeclinedDay);
        Set(p, "snoozedUntil", s.SnoozedUntil);
        Set(p, "waitingSince", s.WaitingSince);
        Set(p, "shiftStart", s.ShiftStart);
        Set(p, "shiftEnd", s.ShiftEnd);
        return new TableEntity(partition, State, p);
    }

    /// <summary>One entry of the person's own break log; <paramref name="welcomed"/> marks the welcome-back as sent (or not needed).</summary>
    public static TableEntity WriteBreak(string partition, DateTimeOffset start, DateTimeOffset until, bool fromPrompt, DateTimeOffset? ended, bool welcomed)
    {
        var p = new Dictionary<string, object?> { ["start"] = start, ["until"] = until, ["fromPrompt"] = fromPrompt, ["welcomed"] = welcomed };
        Set(p, "ended", ended);
        return new TableEntity(partition, Break(start), p);
    }

    // Tables store no nulls: an absent value is an absent property.
    private static void Set(Dictionary<string, object?> p, string name, object? value)
    {
        if (value is not null) p[name] = value;
    }
}
