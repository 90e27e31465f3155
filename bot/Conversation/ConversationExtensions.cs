using EmpowerBot.Conversation.Cards;
using EmpowerBot.Hosting;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Conversation;

public static class ConversationExtensions
{
    /// <summary>Registers the roster, the turn handler and the card templates; commands register in their own features.</summary>
    public static IHostApplicationBuilder AddConversation(this IHostApplicationBuilder builder, string appRoot)
    {
        var services = builder.Services;
        services.AddSettings<OrganizationOptions, OrganizationOptionsValidator>("Organization")
            // Nobody gets spending power by merely writing to the bot, except in the local demo.
            .PostConfigure<IHostEnvironment>((o, env) => o.UnlistedPeople ??= env.IsDevelopment() && o.DefaultTeam.Length > 0 ? UnlistedPeople.DefaultTeam : UnlistedPeople.Guest);
        services.AddSingleton<Roster>();
        services.AddSingleton<OrganizationStore>();
        services.AddSingleton<OrganizationSync>();
        services.AddHostedService(sp => sp.GetRequiredService<OrganizationSync>());
        services.AddSingleton<PeopleDirectory>();
        services.AddSingleton<Welcome>();
        services.AddSingleton<Recognizer>();
        services.AddSingleton<TurnHandler>();
        services.AddSingleton<FormChecks>();
        services.AddSingleton<HomeView>();
        services.AddSingleton<ICommand, HelpCommand>();
        services.AddSingleton<ICommand, SmallTalkCommand>();
        services.AddSingleton<ICommand, MembershipCommand>();
        services.AddSingleton<Notifier>();
        services.AddSingleton<SentMessages>();
        services.AddSingleton<IOutboxHandler, NotificationDelivery>();
        services.AddSingleton<LateReplies>();
        services.AddSingleton<IOutboxHandler, LateReplyDelivery>();
        var cards = builder.Configuration["Cards:Path"] is { Length: > 0 } configured ? configured : "cards";
        services.AddSingleton(new CardTemplates(AppRoot.Resolve(appRoot, cards)));
        return builder;
    }
}
