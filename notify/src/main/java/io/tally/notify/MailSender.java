package io.tally.notify;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

/**
 * Sends a conversion's email through the configured SMTP server, one message at a time on an executor of its
 * own (SMTP is blocking), with connect, read and write timeouts so a dead server only fails attempts.
 */
final class MailSender
{
    private final NotifierConfig config;
    private final Session session;
    private final ExecutorService executor;

    MailSender(final NotifierConfig config, final ExecutorService executor)
    {
        this.config = config;
        this.executor = executor;
        final Properties properties = new Properties();
        final String timeout = Long.toString(config.timeout().toMillis());
        if (config.smtpHost() != null)
        {
            properties.put("mail.smtp.host", config.smtpHost());
        }
        properties.put("mail.smtp.port", Integer.toString(config.smtpPort()));
        properties.put("mail.smtp.connectiontimeout", timeout);
        properties.put("mail.smtp.timeout", timeout);
        properties.put("mail.smtp.writetimeout", timeout);
        properties.put("mail.smtp.auth", Boolean.toString(config.smtpUser() != null));
        properties.put("mail.smtp.starttls.enable", Boolean.toString(config.smtpStartTls()));
        properties.put("mail.smtp.starttls.required", Boolean.toString(config.smtpStartTls()));
        this.session = Session.getInstance(properties);
    }

    /** Starts one attempt; {@code done} gets null on success, else what went wrong, on the executor's thread. */
    void send(final String to, final ConversionNotice notice, final BiConsumer<String, Throwable> done)
    {
        if (config.smtpHost() == null)
        {
            done.accept("no SMTP server is configured (--smtp-host)", null);
            return;
        }
        executor.execute(() ->
        {
            try
            {
                final MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress(config.smtpFrom()));
                message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
                message.setSubject(notice.emailSubject(), "UTF-8");
                message.setText(notice.emailText(), "UTF-8");
                message.setHeader("Tally-Event-Id", Long.toString(notice.eventId()));
                if (config.smtpUser() != null)
                {
                    Transport.send(message, config.smtpUser(), config.smtpPassword());
                }
                else
                {
                    Transport.send(message);
                }
                done.accept(null, null);
            }
            catch (final MessagingException | RuntimeException ex)
            {
                done.accept(String.valueOf(ex.getMessage()), ex);
            }
        });
    }
}
