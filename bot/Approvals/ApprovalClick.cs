using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>What every click on an approval card (the manager's or the rep's) reads from its data, and how it refuses.</summary>
internal static class ApprovalClick
{
    private const int MaxIdLength = 64;

    /// <summary>The request the card names, or null when the data is damaged or forged beyond what we could have sent.</summary>
    public static string? ApprovalId(JsonElement data) =>
        Field(data, "approvalId") is { Length: > 0 and <= MaxIdLength } id && id.All(char.IsAsciiLetterOrDigit) ? id : null;

    /// <summary>
    /// The request a click names, looked up in the clicker's own tenant only (another tenant's request does not exist
    /// from here); or the refusal to answer with when the card is damaged or the request unknown.
    /// </summary>
    public static async Task<(ApprovalRequest? Request, TurnResult? Refusal)> FindAsync(ApprovalStore approvals, Person person, CardAction action,
        ILogger log, CancellationToken ct)
    {
        if (ApprovalId(action.Data) is not { } id)
            return (null, Error(400, "This approval card is damaged: it doesn't say which request it is for. Nothing was changed."));
        if (await approvals.GetAsync(person.TenantId, id, ct) is { } request) return (request, null);
        log.LogWarning("Card action {Verb} by {Person} named an unknown approval", action.Verb, person.Key);
        return (null, Error(404, "I can't find this approval request. Nothing was changed."));
    }

    public static string? Field(JsonElement data, string name) => SubmittedCommand.Field(data, name);

    public static TurnResult Show(CardReply card) => new([], CardActionResult.Updated(card));

    public static TurnResult Error(int status, string message) => new([], CardActionResult.Error(status, message));
}
