using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>Delivers a turn's replies to the Bot Connector, or renders them for an expectReplies response.</summary>
public sealed class ReplySender(ActivityRenderer renderer, ConnectorClient connector, ILogger<ReplySender> log)
{
    public List<Activity> Render(TurnResult result, ConversationReference to, string? replyToId) =>
        result.Replies.Select(r => renderer.ToActivity(r, to, replyToId)).ToList();

    public object InvokeBody(CardActionResult result) => renderer.InvokeBody(result);

    /// <summary>
    /// Posts each reply in order. A connector that stays down after the resilience pipeline's retries is logged;
    /// the turn's state is already committed, so the host carries on.
    /// </summary>
    public async Task SendAsync(TurnResult result, ConversationReference to, string? replyToId, CancellationToken ct)
    {
        foreach (var activity in Render(result, to, replyToId))
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
}
