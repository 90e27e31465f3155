using System.Globalization;
using EmpowerBot.Storage;

namespace EmpowerBot.Approvals;

/// <summary>What the team view and the executive's view count of one request: when it was asked, for which team, and how it ended.</summary>
public sealed record ApprovalOutcome(string Id, string RequesterKey, string TeamId, ApprovalStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt);

/// <summary>
/// Rows in the tenant's approvals partition naming each request under the UTC month it was asked in and its requester:
/// <c>month|{yyyy-MM}|{requester}|{id}</c> (the requester lower-cased), carrying the request's team, status and decision
/// time. Written in the same batch as every change of the request, so a month's figures for a team are read from one
/// prefix per member (or one per month for the whole tenant), whatever the tenant's history. <c>index|month</c> marks a
/// tenant whose requests stored before this index have been indexed.
/// </summary>
internal static class MonthIndex
{
    public const string Marker = "index|month";
    private const string Prefix = "month|";

    /// <summary>Every request asked in the UTC month of <paramref name="month"/>.</summary>
    public static string Of(DateTimeOffset month) => Prefix + Month(month) + "|";

    /// <summary>The requests one requester asked in the UTC month of <paramref name="month"/>.</summary>
    public static string Of(DateTimeOffset month, string requesterKey) => Of(month) + requesterKey.ToLowerInvariant() + "|";

    public static TableOperation Write(ApprovalRequest r)
    {
        var properties = new Dictionary<string, object?>
        {
            ["requester"] = r.RequesterKey,
            ["team"] = r.TeamId,
            ["status"] = r.Status.ToString(),
            ["createdAt"] = r.CreatedAt,
        };
        if (r.DecidedAt is { } decided) properties["decidedAt"] = decided;
        return TableOperation.Upsert(new TableEntity(r.TenantId, Of(r.CreatedAt, r.RequesterKey) + r.Id, properties));
    }

    public static ApprovalOutcome Read(TableEntity row) => new(
        row.RowKey[(row.RowKey.LastIndexOf('|') + 1)..],
        row.GetString("requester") ?? "",
        row.GetString("team") ?? "",
        Enum.TryParse<ApprovalStatus>(row.GetString("status"), out var status) ? status : ApprovalStatus.Pending,
        row.GetTime("createdAt") ?? DateTimeOffset.MinValue,
        row.GetTime("decidedAt"));

    /// <summary>The first instant of every UTC month that overlaps [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static IEnumerable<DateTimeOffset> Months(DateTimeOffset from, DateTimeOffset to)
    {
        for (var m = new DateTimeOffset(from.UtcDateTime.Year, from.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero); m < to; m = m.AddMonths(1))
        {
            yield return m;
        }
    }

    private static string Month(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
