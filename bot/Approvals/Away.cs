using System.Globalization;
using System.Text.RegularExpressions;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Approvals;

/// <summary>An approver away until <paramref name="Until"/>, their approvals covered by <paramref name="DelegateKey"/> (or by no one).</summary>
public sealed record Absence(string PersonKey, DateTimeOffset Until, string? DelegateKey, string? DelegateName, DateTimeOffset Since)
{
    public bool IsActive(DateTimeOffset now) => now < Until;
}

/// <summary>
/// Absences, one row per person in the tenant's approvals partition (<c>away|{person}</c>): read whenever approvers
/// are chosen, so a request goes to whoever covers, and lapsing by themselves at their end.
/// </summary>
public sealed class AwayStore(ITableStore store, TimeProvider clock) : IAwayStatus
{
    private const string Prefix = "away|";

    private static string RowKey(string personKey) => Prefix + personKey.ToLowerInvariant();

    public async Task<Absence?> ActiveAsync(string tenantId, string personKey, CancellationToken ct) =>
        await store.GetAsync(Tables.Approvals, tenantId, RowKey(personKey), ct) is { } row && Read(row, personKey) is { } absence && absence.IsActive(clock.GetUtcNow())
            ? absence
            : null;

    /// <summary>Everyone in the tenant away now, by person key, in one range read (choosing among several approvers).</summary>
    public async Task<IReadOnlyDictionary<string, Absence>> ActiveByPersonAsync(string tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var away = new Dictionary<string, Absence>(StringComparer.OrdinalIgnoreCase);
        await foreach (var row in store.QueryPrefixAsync(Tables.Approvals, tenantId, Prefix, ct))
        {
            var absence = Read(row, row.RowKey[Prefix.Length..]);
            if (absence.IsActive(now)) away[absence.PersonKey] = absence;
        }
        return away;
    }

    private static Absence Read(TableEntity row, string personKey) =>
        new(personKey, row.GetTime("until") ?? DateTimeOffset.MinValue, row.GetString("delegate"), row.GetString("delegateName"),
            row.GetTime("since") ?? DateTimeOffset.MinValue);

    public Task SaveAsync(string tenantId, Absence absence, CancellationToken ct) =>
        store.UpsertAsync(Tables.Approvals, new TableEntity(tenantId, RowKey(absence.PersonKey), new Dictionary<string, object?>
        {
            ["until"] = absence.Until,
            ["delegate"] = absence.DelegateKey,
            ["delegateName"] = absence.DelegateName,
            ["since"] = absence.Since,
        }), ct);

    public async Task<bool> EndAsync(Person person, CancellationToken ct)
    {
        if (await ActiveAsync(person.TenantId, person.Key, ct) is null) return false;
        try
        {
            await store.DeleteAsync(Tables.Approvals, person.TenantId, RowKey(person.Key), TableOperation.AnyETag, ct);
        }
        catch (StorageConflictException)
        {
            // Ended meanwhile by another instance: back all the same.
        }
        return true;
    }
}

/// <summary>
/// Reads "away until Friday, Lee covers", "out until Dec 12, covered by Lee Gu", "ooo till tomorrow": the day the
/// person is back (at the start of that day in their zone) and who covers, by name.
/// </summary>
public static partial class AwayText
{
    public const int MaxDays = 60;

    [GeneratedRegex(@"^(?:(?:i'm|im|i am|i'll be|ill be|i will be) )?(?:away|out|out of office|ooo|off|on leave|on vacation|on holiday)(?: (?:until|till|til|to) (?<until>[a-z0-9][a-z0-9 /.-]*?)| (?<during>today|tomorrow|tmrw|this week|next week|(?:for )?the (?:rest of the )?(?:day|week)))?(?:(?:[,;]| and)? (?<delegate>[a-z][a-z.' -]*?) (?:covers|is covering|will cover|covering|can cover)(?: for me| me)?|(?:[,;])? (?:covered by|cover by|with cover from|cover:) (?<delegate2>[a-z][a-z.' -]*?))?$")]
    public static partial Regex Phrase();

    public static bool Recognizes(string text) =>
        text.StartsWith("away", StringComparison.Ordinal) || (Phrase().Match(text) is { Success: true } m && (m.Groups["until"].Success || m.Groups["during"].Success));

    /// <summary>The words that say when the person is back: "until Friday" names the day, "out next week" the time away.</summary>
    public static string? Named(Match m) => m.Groups["until"].Success ? m.Groups["until"].Value : m.Groups["during"].Success ? m.Groups["during"].Value : null;

    /// <summary>The day the person is back after the time named ("today", "tomorrow", "this week", "next week"), or the day named.</summary>
    public static DateTimeOffset? BackAfter(Match m, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (!m.Groups["during"].Success) return m.Groups["until"].Success ? BackOn(m.Groups["until"].Value, now, zone) : null;
        var during = m.Groups["during"].Value;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var monday = NextMonday(today);
        var back = during switch
        {
            "today" or "for the day" or "the day" or "for the rest of the day" or "the rest of the day" => today.AddDays(1),
            "tomorrow" or "tmrw" => today.AddDays(2),
            "next week" => monday.AddDays(7),
            _ => monday,
        };
        return StartOf(back, zone);
    }

    /// <summary>The first Monday after <paramref name="today"/>.</summary>
    private static DateOnly NextMonday(DateOnly today) => today.AddDays(7 - ((int)today.DayOfWeek + 6) % 7);

    /// <summary>Local midnight of <paramref name="day"/> in <paramref name="zone"/>.</summary>
    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The start of the day named ("friday", "tomorrow", "dec 12", "12/12", "2026-12-12"), after today in <paramref name="zone"/>; null when it names none.</summary>
    public static DateTimeOffset? BackOn(string words, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        words = words.Trim().TrimEnd('.');
        DateOnly? day = words switch
        {
            "tomorrow" or "tmrw" or "tmr" => today.AddDays(1),
            "next week" => NextMonday(today),
            _ => null,
        };
        if (day is null && Weekday(words.StartsWith("next ", StringComparison.Ordinal) ? words[5..] : words) is { } weekday)
        {
            var ahead = ((int)weekday - (int)today.DayOfWeek + 7) % 7;
            day = today.AddDays(ahead == 0 ? 7 : ahead);
        }
        if (day is null)
        {
            string[] formats = ["MMM d", "MMMM d", "d MMM", "d MMMM", "M/d", "M/d/yyyy", "yyyy-MM-dd", "MMM d yyyy", "MMMM d yyyy", "MMM d, yyyy"];
            if (DateOnly.TryParseExact(words, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed))
            {
                // "dec 2" in December 2026 said on the 3rd is next year's.
                if (!words.Any(char.IsAsciiDigit) || !Regex.IsMatch(words, @"\d{4}")) parsed = new DateOnly(today.Year, parsed.Month, parsed.Day);
                if (parsed <= today && !Regex.IsMatch(words, @"\d{4}")) parsed = parsed.AddYears(1);
                day = parsed;
            }
        }
        if (day is not { } back || back <= today || back > today.AddDays(MaxDays)) return null;
        return StartOf(back, zone);
    }

    private static DayOfWeek? Weekday(string word) => word switch
    {
        "monday" or "mon" => DayOfWeek.Monday,
        "tuesday" or "tue" or "tues" => DayOfWeek.Tuesday,
        "wednesday" or "wed" => DayOfWeek.Wednesday,
        "thursday" or "thu" or "thur" or "thurs" => DayOfWeek.Thursday,
        "friday" or "fri" => DayOfWeek.Friday,
        "saturday" or "sat" => DayOfWeek.Saturday,
        "sunday" or "sun" => DayOfWeek.Sunday,
        _ => null,
    };
}
