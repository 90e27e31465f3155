using System.Globalization;

namespace EmpowerBot.Budget;

/// <summary>
/// A budget period: one calendar month in the team's time zone. <see cref="Start"/> and <see cref="End"/> are
/// instants (UTC), so a credit at 23:59 local time on the last day belongs to that month everywhere.
/// </summary>
public sealed record Period(string Key, DateTimeOffset Start, DateTimeOffset End, TimeZoneInfo Zone)
{
    public static Period Containing(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var first = new DateTime(local.Year, local.Month, 1);
        return new Period(
            first.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            LocalMidnightToUtc(first, zone),
            LocalMidnightToUtc(first.AddMonths(1), zone),
            zone);
    }

    public Period Previous() => Containing(Start.AddTicks(-1), Zone);

    /// <summary>"Nov".</summary>
    public string ShortLabel => LocalStart.ToString("MMM", CultureInfo.InvariantCulture);

    /// <summary>"November 2026".</summary>
    public string Label => LocalStart.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The last calendar day of the period, local to the team.</summary>
    public DateTime LastDay => TimeZoneInfo.ConvertTime(End, Zone).Date.AddDays(-1);

    /// <summary>Whole local days left including today.</summary>
    public int DaysLeft(DateTimeOffset now) =>
        Math.Max(0, (int)(LastDay - TimeZoneInfo.ConvertTime(now, Zone).Date).TotalDays + 1);

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    private DateTime LocalStart => TimeZoneInfo.ConvertTime(Start, Zone).DateTime;

    private static DateTimeOffset LocalMidnightToUtc(DateTime localMidnight, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(localMidnight, DateTimeKind.Unspecified);
        // Where a clock change skips midnight, the day starts at the first valid local minute.
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(1);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }
}
