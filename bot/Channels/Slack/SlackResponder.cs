using EmpowerBot.Hosting;
using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Applies what a turn produced, in Slack's idiom: replies are posted in the person's direct conversation with the
/// bot, or, for a slash command typed in a channel, shown there to the person alone through its response_url (a form
/// opens as a modal while the request's trigger id is fresh); a card action's updated card replaces the
/// clicked message for everyone (chat.update), and so does the outcome of a submitted card that writes; a notice or refusal is shown to the clicker only (chat.postEphemeral).
/// The turn's state is already committed, so a Slack failure here is logged and the rest still goes out.
/// </summary>
public sealed class SlackResponder(SlackApiClient api, BlockKitRenderer renderer, Notifier notifier, SentMessages sent, TimeProvider clock, ILogger<SlackResponder> log)
{
    public async Task ApplyAsync(SlackInbound inbound, ConversationReference dm, TurnResult result, CancellationToken ct)
    {
        var trigger = inbound.TriggerId;
        var replies = result.Replies.ToList();
        // The outcome of a card that writes replaces the clicked message for everyone; if Slack refuses, it is posted.
        if (result.ReplacesCard && replies.Count > 0 && inbound is { Channel: { } clicked, MessageTs: { } clickedTs, FromHome: false }
            && await SafelyAsync("chat.update", () => api.UpdateMessageAsync(clicked, clickedTs, renderer.Message(replies[0]), ct)))
        {
            replies.RemoveAt(0);
        }
        var index = 0;
        foreach (var reply in replies)
        {
            if (reply.Card is { } card && trigger is not null && renderer.IsModal(card) && await OpenAsync(trigger, card, ct))
            {
                trigger = null; // a trigger id opens one view
                continue;
            }
            // Files (an export) go into the person's DM as files; if Slack refuses, the reply's card still links them.
            if (reply.Files.Count > 0 && await UploadAsync(dm.ConversationId, reply, ct)) continue;
            var message = renderer.Message(reply);
            if (inbound.ResponseUrl is { } here && await SafelyAsync("response_url", () => api.RespondAsync(here, message, ct))) continue;
            // A long Retry-After: the reply waits in the outbox and goes to the DM then, not held in this worker.
            var part = index;
            SlackPosted? posted = null;
            await SafelyAsync("chat.postMessage", async () => posted = await api.PostMessageAsync(dm.ConversationId, message, ct),
                after => LaterAsync(inbound, reply, part, after, ct));
            if (posted is not null) await sent.OnReplySentAsync(reply, dm with { ConversationId = posted.Channel }, posted.Ts, ct);
            index++;
        }
        if (result.ActionResult is not { } action) return;
        if (action.Card is { } updated)
        {
            if (inbound.FromHome) return; // the App Home is republished after the turn
            var message = renderer.Message(new Reply(null, updated));
            await (inbound is { Channel: { } channel, MessageTs: { } ts }
                ? SafelyAsync("chat.update", () => api.UpdateMessageAsync(channel, ts, message, ct))
                : SafelyAsync("chat.postMessage", () => api.PostMessageAsync(dm.ConversationId, message, ct)));
            return;
        }
        var notice = new SlackMessage(BlockKitRenderer.Mrkdwn(action.Message ?? "Done."));
        // Ephemeral where they clicked; Slack refuses that to someone outside the conversation, who hears it in their own.
        if (inbound is { Channel: { } where, FromHome: false } && await SafelyAsync("chat.postEphemeral", () => api.PostEphemeralAsync(where, inbound.UserId, notice, ct)))
        {
            return;
        }
        await SafelyAsync("chat.postMessage", () => api.PostMessageAsync(dm.ConversationId, notice, ct));
    }

    /// <summary>Opens a modal; false when it cannot be (no binding, or Slack refused, e.g. an expired trigger).</summary>
    public async Task<bool> OpenAsync(string triggerId, CardReply card, CancellationToken ct)
    {
        if (renderer.Modal(card) is not { } view) return false;
        return await SafelyAsync("views.open", () => api.OpenViewAsync(triggerId, view, ct));
    }

    public Task<bool> PostAsync(string channel, SlackMessage message, CancellationToken ct) =>
        SafelyAsync("chat.postMessage", () => api.PostMessageAsync(channel, message, ct));

    public Task<bool> WhisperAsync(string channel, string userId, string text, CancellationToken ct) =>
        SafelyAsync("chat.postEphemeral", () => api.PostEphemeralAsync(channel, userId, new SlackMessage(BlockKitRenderer.Mrkdwn(text)), ct));

    private async Task LaterAsync(SlackInbound inbound, Reply reply, int index, TimeSpan after, CancellationToken ct)
    {
        var key = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{inbound.ActivityId}|{index}"));
        await notifier.SendAsync($"slack-later-{Convert.ToHexStringLower(key)[..32]}", Notification.Of(inbound.TenantId, inbound.PersonKey, reply, urgent: true),
            ct, clock.GetUtcNow() + after);
        log.LogWarning("Slack rate-limited a reply to {Person} for {After}; it goes through the outbox", inbound.PersonKey, after);
    }

    /// <summary>
    /// Uploads the reply's files to the conversation, each written first to a temporary file (a large export streams
    /// to disk, never into memory, and Slack needs its length); the first carries the reply's words. True when all went.
    /// </summary>
    private async Task<bool> UploadAsync(string channel, Reply reply, CancellationToken ct)
    {
        var comment = reply.FilesNote ?? reply.Text;
        foreach (var (file, i) in reply.Files.Select((f, i) => (f, i)))
        {
            var path = Path.Combine(Path.GetTempPath(), $"empowerbot-{Guid.NewGuid():N}.csv");
            try
            {
                await using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
                await file.WriteAsync(stream, ct);
                var length = stream.Length;
                stream.Position = 0;
                if (!await SafelyAsync("file upload", () => api.UploadFileAsync(channel, file.Name, file.Title, stream, length, i == 0 ? comment : null, ct))) return false;
            }
            catch (IOException e)
            {
                log.LogError(e, "Could not write {File} for upload", file.Name);
                return false;
            }
        }
        return true;
    }

    /// <param name="later">What to do when Slack asks to be called again after a Retry-After the pipeline would not wait.</param>
    private async Task<bool> SafelyAsync(string method, Func<Task> call, Func<TimeSpan, Task>? later = null)
    {
        try
        {
            await call();
            return true;
        }
        catch (SlackApiException e) when (later is not null && e is { IsRateLimited: true, RetryAfter: { } after })
        {
            await later(after);
            return true;
        }
        catch (Exception e) when (OutboundFailure.Is(e))
        {
            log.LogError("Slack {Method} failed: {Reason}", method, e.Message);
            return false;
        }
    }
}
