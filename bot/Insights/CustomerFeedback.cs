using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Insights;

/// <summary>
/// One customer's rating, as the helpdesk or survey tool reports it: the customer (canonical), a score from 1 to 5, what
/// they wrote, and the rep who handled them when the tool knows. <paramref name="Credited"/>: the customer had a credit
/// applied in the <see cref="FeedbackLog.CreditWindow"/> before rating us, which is what the budget is meant to change.
/// </summary>
public sealed record CustomerRating(string Id, string Customer, int Score, string? Comment, string? RepKey, string? RepName, bool Credited, DateTimeOffset At)
{
    public const int MinScore = 1;
    public const int MaxScore = 5;

    /// <summary>A score this high with words is good news worth passing on to the team.</summary>
    public bool IsPraise => Score >= 4 && !string.IsNullOrWhiteSpace(Comment);
}

/// <summary>
/// Ratings per team and month, <c>{tenant}|{team}|{yyyy-MM}</c> (team <c>-</c> when no team can be told: kept, never
/// dropped), one row per rating keyed by its id, so the same rating sent twice is recorded once.
/// </summary>
public sealed class FeedbackLog(ITableStore store)
{
    /// <summary>How long before a rating a credit counts as one the customer got.</summary>
    public static readonly TimeSpan CreditWindow = TimeSpan.FromDays(30);

    /// <summary>The partition of ratings no team could be told for.</summary>
    public const string NoTeam = "-";

    public static string Partition(string tenantId, string teamId, Period period) => Tables.Key(tenantId, teamId, period.Key);

    /// <summary>The id a rating is recorded under: the tool's own id, or one made from what it says.</summary>
    public static string IdOf(string? given, string customer, int score, string? comment, string? rep, DateTimeOffset? at) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(given is not null
            ? "id\n" + given
            : string.Join('\n', "content", customer, score.ToString(CultureInfo.InvariantCulture), comment ?? "", rep ?? "",
                at?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? ""))))[..32];

    /// <returns>False when this rating was recorded before.</returns>
    public async Task<bool> AddAsync(string tenantId, string teamId, Period period, CustomerRating rating, CancellationToken ct)
    {
        var properties = new Dictionary<string, object?>
        {
            ["customer"] = rating.Customer,
            ["score"] = rating.Score,
            ["comment"] = rating.Comment,
            ["rep"] = rating.RepKey,
            ["repName"] = rating.RepName,
            ["credited"] = rating.Credited,
            ["at"] = rating.At,
        };
        try
        {
            await store.SubmitAsync(Tables.Feedback, [TableOperation.Insert(new TableEntity(Partition(tenantId, teamId, period), rating.Id, properties))], ct);
            return true;
        }
        catch (StorageConflictException e) when (e.Reason == ConflictReason.EntityExists)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<CustomerRating>> ListAsync(string tenantId, string teamId, Period period, CancellationToken ct)
    {
        var list = new List<CustomerRating>();
        await foreach (var row in store.QueryAsync(Tables.Feedback, Partition(tenantId, teamId, period), null, null, ct))
        {
            list.Add(new CustomerRating(row.RowKey, row.GetString("customer") ?? "", (int)row.GetInt64("score"), row.GetString("comment"),
                row.GetString("rep"), row.GetString("repName"), row.GetBool("credited"), row.GetTime("at") ?? DateTimeOffset.MinValue));
        }
        return list;
    }
}

/// <summary>
/// The team view's "What customers said": how customers who got a credit rated us against everyone else — whether the
/// budget turns customers around — and the month's count. Aggregates only.
/// </summary>
public sealed class FeedbackHighlights(FeedbackLog log) : ITeamHighlights
{
    public const string Section = "What customers said";

    public async Task<IReadOnlyList<TeamHighlight>> ForTeamAsync(string tenantId, Team team, Period period, CancellationToken ct)
    {
        var ratings = await log.ListAsync(tenantId, team.Id, period, ct);
        if (ratings.Count == 0) return [];
        var credited = ratings.Where(r => r.Credited).ToList();
        var others = ratings.Where(r => !r.Credited).ToList();
        var lines = new List<TeamHighlight>
        {
            new(Section, $"{ratings.Count} customer rating{(ratings.Count == 1 ? "" : "s")} this month, {Average(ratings)} of 5 on average"),
        };
        if (credited.Count > 0 && others.Count > 0)
        {
            var better = credited.Average(r => r.Score) >= others.Average(r => r.Score);
            lines.Add(new(Section, $"Customers who got a credit: {Average(credited)} of 5 ({Count(credited)}); everyone else: {Average(others)} of 5 ({Count(others)})", better));
        }
        else if (credited.Count > 0)
        {
            lines.Add(new(Section, $"Customers who got a credit: {Average(credited)} of 5 ({Count(credited)}); no rating yet from anyone else", credited.Average(r => r.Score) >= 4));
        }
        return lines;
    }

    public static string Average(IEnumerable<CustomerRating> ratings) => ratings.Average(r => r.Score).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Count(IReadOnlyCollection<CustomerRating> ratings) => ratings.Count == 1 ? "1 rating" : $"{ratings.Count} ratings";
}
