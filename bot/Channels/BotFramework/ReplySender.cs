using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>Delivers a turn's replies to the Bot Connector, or renders them for an expectReplies response.</summary>
public sealed class ReplySender(ActivityRenderer renderer, ConnectorClient connector, ILogger<ReplySender> log)
{
    public List<Activity> Render(TurnResult result, ConversationReference to, string? replyToId) =>
        result.Replies.Select(r => renderer.ToActivity(r, to, replyToId)).ToList();

    public object InvokeBody(CardActionResult result) => renderer.InvokeBody(result);

    /// <summary>
    /// Posts each reply in order. The outcome of a card that writes replaces the card's own message (an Action.Submit
    /// names it as replyToId); if the connector will not update it, the outcome is posted instead, never lost.
    /// A connector that stays down after the resilience pipeline's retries is logged; the turn's state is already
    /// committed, so the host carries on.
    /// </summary>
    public async Task SendAsync(TurnResult result, ConversationReference to, string? replyToId, string? cardMessageId, CancellationToken ct)
    {
        var activities = Render(result, to, replyToId);
        if (result.ReplacesCard && !string.IsNullOrEmpty(cardMessageId) && activities.Count > 0
            && await UpdateAsync(renderer.ToActivity(result.Replies[0], to, null), cardMessageId, to, ct))
        {
            activities.RemoveAt(0);
        }
        foreach (var activity in activities)
        {
            try
            {
                if (string.IsNullOrEmpty(activity.ReplyToId))
                    await connector.SendToConversationAsync(activity, ct);
                else
                    await connector.ReplyToActivityAsync(activity, ct);
            }
            catch (Exception e) when (e is ConnectorException or HttpRequestException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
            {
                log.LogError(e, "Could not deliver a reply in conversation {Conversation} on {Channel}", to.ConversationId, to.ChannelId);
            }
        }
    }

    private async Task<bool> UpdateAsync(Activity outcome, string cardMessageId, ConversationReference to, CancellationToken ct)
    {
        outcome.Id = cardMessageId;
        try
        {
            await connector.UpdateActivityAsync(outcome, cardMessageId, ct);
            return true;
        }
        catch (Exception e) when (e is ConnectorException or HttpRequestException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            log.LogWarning(e, "Could not replace card {Activity} in conversation {Conversation}; posting its outcome instead", cardMessageId, to.ConversationId);
            return false;
        }
    }
}
