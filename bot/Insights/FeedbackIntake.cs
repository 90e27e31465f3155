using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Insights;

/// <summary>A customer's rating as the signals endpoint read it: valid, its customer canonical, its rep (if named) on the roster.</summary>
/// <param name="Id">The survey tool's own id of the response, when it sends one.</param>
/// <param name="At">When the customer answered, when the tool says; otherwise when it arrived.</param>
public sealed record FeedbackSignal(string TenantId, string Customer, int Score, string? Comment, Person? Rep, string? Id, DateTimeOffset? At);

/// <summary>What a customer complained about, as something the team already knows gets in the way (an open obstacle).</summary>
public interface ICustomerComplaints
{
    /// <summary>Counts the rating as evidence for the open obstacle its words match; the obstacle's id, or null when none matches.</summary>
    Task<int?> AddAsync(string tenantId, string ratingId, string comment, CancellationToken ct);
}

/// <summary>
/// Records a customer's rating for the team that served them — the named rep's team, else the team of whoever last
/// credited the customer, else kept without a team — with whether a credit came before it. Praise with words becomes the
/// team's good news, and the rep who handled the customer hears it as kudos from the customer; a low rating whose words
/// match an open obstacle adds to that obstacle's evidence. Sent twice, recorded once.
/// </summary>
public sealed class FeedbackIntake(FeedbackLog log, CustomerIndex customers, KudosLog kudos, Roster roster, Notifier notifier,
    IEnumerable<ICustomerComplaints> complaints, TimeProvider clock, ILogger<FeedbackIntake> logger)
{
    public const int MaxComment = 1000;

    /// <returns>False when the rating was recorded before.</returns>
    public async Task<bool> RecordAsync(FeedbackSignal signal, CancellationToken ct)
    {
        var at = signal.At ?? clock.GetUtcNow();
        var (credited, lastCreditor) = await customers.CreditedAsync(signal.TenantId, signal.Customer, at - FeedbackLog.CreditWindow, at, ct);
        var team = signal.Rep?.Team ?? (lastCreditor is null ? null : roster.Resolve(signal.TenantId, lastCreditor, null).Team);
        var period = Period.Containing(at, team?.TimeZone ?? TimeZoneInfo.Utc);
        var id = FeedbackLog.IdOf(signal.Id, signal.Customer, signal.Score, signal.Comment, signal.Rep?.Key, signal.At);
        var comment = string.IsNullOrWhiteSpace(signal.Comment) ? null : signal.Comment.Trim();
        var rating = new CustomerRating(id, signal.Customer, signal.Score, comment, signal.Rep?.Key, signal.Rep?.Name, credited, at);
        var added = await log.AddAsync(signal.TenantId, team?.Id ?? FeedbackLog.NoTeam, period, rating, ct);
        // Asked again when the rating was already there: a resend after a crash between the two still shares the praise, once.
        if (team is not null && rating.IsPraise)
        {
            var kudo = new Kudo("", comment!, $"a customer ({signal.Customer})", signal.Rep?.Key, signal.Rep?.Name, at);
            if (await kudos.AddAsync(signal.TenantId, team.Id, period, "feedback:" + id, kudo, ct) && signal.Rep is { } rep)
            {
                await notifier.SendAsync($"feedback-kudos-{id}", Notification.Of(signal.TenantId, rep.Key, Reply.Say(
                    $"Kudos from a customer you helped ({signal.Customer}), who rated us {signal.Score} of 5: \"{TextCut.Shorten(comment!, 300)}\"")), ct);
            }
        }
        if (rating.Score <= 2 && comment is not null)
        {
            foreach (var board in complaints) await board.AddAsync(signal.TenantId, id, comment, ct);
        }
        if (added) logger.LogInformation("Customer rating {Score} for team {Team} recorded", signal.Score, team?.Id ?? FeedbackLog.NoTeam);
        return added;
    }
}
