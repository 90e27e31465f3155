using System.Globalization;
using System.Text.RegularExpressions;

namespace EmpowerBot.Conversation;

/// <summary>
/// Times as a person reads them: converted to a zone and followed by that zone's IANA name ("10:15 AM
/// America/New_York"), so a time in a proactive message or a card someone else opens is never read in the wrong zone.
/// Every time a user reads goes through here, so the format is the same everywhere.
/// </summary>
public static partial class ZonedTime
{
    /// <summary>"10:15 AM America/New_York".</summary>
    public static string Time(DateTimeOffset at, TimeZoneInfo zone) => Format(at, zone, "h:mm tt");

    /// <summary>"Nov 22, 10:15 AM America/New_York".</summary>
    public static string DayAndTime(DateTimeOffset at, TimeZoneInfo zone) => Format(at, zone, "MMM d, h:mm tt");

    /// <summary>"Mon 10:15 AM America/New_York".</summary>
    public static string WeekdayAndTime(DateTimeOffset at, TimeZoneInfo zone) => Format(at, zone, "ddd h:mm tt");

    /// <summary>The zone's IANA id where it has one (a team configured with a Windows id still reads "Europe/Berlin").</summary>
    public static string Name(TimeZoneInfo zone) =>
        !zone.HasIanaId && TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;

    /// <summary>
    /// The zone a client reported (Teams' clientInfo, Slack's profile tz), or null when it is missing or not a zone
    /// this machine knows: a bad id is ignored, never an error. Only IANA-shaped ids are looked up, so a client cannot
    /// make the lookup read an arbitrary file.
    /// </summary>
    public static TimeZoneInfo? FromClient(string? id) =>
        id is { Length: > 0 and <= 64 } && IanaId().IsMatch(id) && !id.Contains("..", StringComparison.Ordinal)
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? zone
            : null;

    private static string Format(DateTimeOffset at, TimeZoneInfo zone, string pattern) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString(pattern, CultureInfo.InvariantCulture) + " " + Name(zone);

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+){0,2}$")]
    private static partial Regex IanaId();
}
