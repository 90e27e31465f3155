using System.Text.Json;
using EmpowerBot.Conversation;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Runs one acknowledged Slack request as a channel-neutral <see cref="Turn"/>: finds who the person is (users.info)
/// and their direct conversation with the bot, maps the request (message, button, modal, App Home visit) to a turn,
/// hands it to the <see cref="TurnHandler"/> and applies the result. The turn's activity id is Slack's event id or
/// trigger id, which the ledger keeps as its idempotency key, so a redelivered request never applies a credit twice.
/// </summary>
public sealed class SlackTurns(
    TurnHandler turns,
    PeopleDirectory people,
    SlackDirectory directory,
    SlackResponder responder,
    SlackHome home,
    BlockKitRenderer renderer,
    SlackButtonValues values,
    SlackRoster roster,
    TimeProvider clock,
    ILogger<SlackTurns> log)
{
    /// <summary>How long a request with a trigger id (alive three seconds, for a modal) waits for users.info.</summary>
    public static readonly TimeSpan TriggerPatience = TimeSpan.FromMilliseconds(800);

    public const string DirectMessagePointer = "I answered you in our direct messages, so your budget and customers stay between us.";

    public async Task RunAsync(SlackInbound inbound, CancellationToken ct)
    {
        // Someone joined or left a channel: a linked team's membership, no conversation with them.
        if (inbound.Kind is SlackInboundKind.MemberJoined or SlackInboundKind.MemberLeft)
        {
            await roster.MembershipAsync(inbound, ct);
            return;
        }
        // A modal opens only while the trigger id lives: a slow users.info must not hold it up.
        var profile = inbound.TriggerId is null
            ? await directory.ProfileAsync(inbound.UserId, ct)
            : await directory.ProfileWithinAsync(inbound.UserId, TriggerPatience, ct);
        var name = profile?.Name ?? inbound.UserName;
        var known = await people.FindReferenceAsync(inbound.TenantId, inbound.PersonKey, ct);
        var dm = await directory.DirectConversationAsync(inbound.TenantId, inbound.PersonKey, inbound.UserId,
            inbound.InDirectMessage ? inbound.Channel : null, name, inbound.BotUserId, ct);
        var turn = new Turn(TurnKind.Message, inbound.TenantId, inbound.PersonKey, name, dm, inbound.ActivityId, clock.GetUtcNow(), PersonEmail: profile?.Email,
            TimeZoneId: profile?.TimeZone);

        if (inbound.Data is { } data && SlackButtonValues.IsKept(data))
        {
            if (values.Resolve(data) is not { } full)
            {
                await NoticeAsync(inbound, turn, SlackButtonValues.Expired, ct);
                return;
            }
            inbound = inbound with { Data = full };
        }
        if (inbound.Kind == SlackInboundKind.HomeOpened)
        {
            await VisitAsync(inbound, turn, firstVisit: known is null, ct);
            return;
        }
        if (inbound.Kind == SlackInboundKind.Action && renderer.IsModal(inbound.Verb!))
        {
            await OpenFormAsync(inbound, turn, ct);
            return;
        }
        // "/empower link-team Frontline" in a channel links it to that team.
        if (inbound is { Kind: SlackInboundKind.Message, InDirectMessage: false, Channel: { } here } && SlackRoster.LinkRequest(inbound.Text) is { } teamName)
        {
            await responder.ApplyAsync(inbound, dm, TurnResult.Of(Reply.Say(await roster.LinkAsync(inbound, turn, here, teamName, ct))), ct);
            return;
        }
        var result = await turns.HandleAsync(ToTurn(inbound, turn), ct);
        await responder.ApplyAsync(inbound, dm, result, ct);
        if (inbound is { Kind: SlackInboundKind.Message, TriggerId: null, InDirectMessage: false, Channel: { } channel } && channel != dm.ConversationId)
        {
            await responder.WhisperAsync(channel, inbound.UserId, DirectMessagePointer, ct);
        }
        await home.RefreshAsync(turn, force: inbound.FromHome, ct);
    }

    /// <summary>
    /// A button's data with {"command": …} is a message (as Action.Submit is in Teams); any other verb is a card action
    /// (as Action.Execute). A submitted modal carries its command in the view's private metadata.
    /// </summary>
    private static Turn ToTurn(SlackInbound inbound, Turn turn)
    {
        var command = SubmittedCommand.From(inbound.Data);
        return inbound.Kind switch
        {
            SlackInboundKind.Message => turn with { Text = inbound.Text },
            _ when command is not null => turn with { Text = command, FormData = inbound.Data },
            _ => turn with { Kind = TurnKind.CardAction, Action = new CardAction(inbound.Verb ?? "", inbound.Data ?? default) },
        };
    }

    /// <summary>The Home tab shows the App Home; the first visit to the Messages tab is the install: a welcome.</summary>
    private async Task VisitAsync(SlackInbound inbound, Turn turn, bool firstVisit, CancellationToken ct)
    {
        if (inbound.Tab == "home")
        {
            await home.ShowAsync(turn, ct);
            return;
        }
        if (!firstVisit) return;
        var result = await turns.HandleAsync(turn with { Kind = TurnKind.Installed }, ct);
        await responder.ApplyAsync(inbound, turn.Conversation, result, ct);
    }

    /// <summary>A form's button (action id = the form template) opens the form as a modal, prefilled from the button.</summary>
    private async Task OpenFormAsync(SlackInbound inbound, Turn turn, CancellationToken ct)
    {
        var model = inbound.Data is { } data ? BlockKitRenderer.FormModel(data) : null;
        var opened = model is not null && inbound.TriggerId is { } trigger && await responder.OpenAsync(trigger, new CardReply(inbound.Verb!, model.Value, ""), ct);
        if (opened) return;
        log.LogInformation("Could not open form {Form} for {Person}", inbound.Verb, inbound.PersonKey);
        var notice = model is null ? "This form has expired. Ask again and I'll bring a fresh one." : "Slack didn't let me open the form just now. Please click again.";
        await NoticeAsync(inbound, turn, notice, ct);
    }

    /// <summary>A word to the clicker alone where they clicked, else in their direct conversation.</summary>
    private async Task NoticeAsync(SlackInbound inbound, Turn turn, string notice, CancellationToken ct)
    {
        if (inbound.Channel is { } channel) await responder.WhisperAsync(channel, inbound.UserId, notice, ct);
        else await responder.PostAsync(turn.Conversation.ConversationId, new SlackMessage(notice), ct);
    }
}
