package io.tally.store.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateFileTest
{
    private static final byte[] CONTENTS = "{\"sites\":{}}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenReadsBackAndTheSealIsOneReadableLine() throws IOException
    {
        final Path file = dir.resolve("goals.json");
        StateFile.write(file, CONTENTS);
        assertArrayEquals(CONTENTS, StateFile.readBytes(file, false));
        final String text = Files.readString(file);
        assertTrue(text.matches("\\{\"sites\":\\{}}\n#tally-state crc32c=[0-9a-f]{8} length=12\n"), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void everyFlippedByteIsCaughtBeforeTheDecoderSeesTheContents() throws IOException
    {
        final Path file = dir.resolve("rollups.ckpt");
        for (int at = 0; at < CONTENTS.length; at++)
        {
            StateFile.write(file, CONTENTS);
            flip(file, at);
            final DamagedStateFileException damaged = assertThrows(DamagedStateFileException.class,
                () -> StateFile.read(file, false, in -> { throw new AssertionError("decoded damaged bytes"); }));
            assertEquals("its checksum does not match its contents", damaged.reason());
        }
    }

    @Test
    void aFlippedByteInTheSealMakesAFileWithoutASeal() throws IOException
    {
        final Path file = dir.resolve("salt");
        StateFile.write(file, CONTENTS);
        flip(file, Files.size(file) - 3);
        assertEquals("it has no seal (cut short, or not Tally's)",
            assertThrows(DamagedStateFileException.class, () -> StateFile.readBytes(file, false)).reason());
    }

    @Test
    void cutShortEmptyOrADirectoryIsDamage() throws IOException
    {
        final Path file = dir.resolve("state");
        StateFile.write(file, CONTENTS);
        final byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 1));
        assertThrows(DamagedStateFileException.class, () -> StateFile.readBytes(file, false));
        Files.write(file, new byte[0]);
        assertEquals("it is empty", assertThrows(DamagedStateFileException.class, () -> StateFile.readBytes(file, false)).reason());
        Files.delete(file);
        Files.createDirectory(file);
        assertEquals("it is not a regular file",
            assertThrows(DamagedStateFileException.class, () -> StateFile.readBytes(file, true)).reason());
    }

    @Test
    void anUnsealedFileIsReadWholeOnlyWhenItsOwnerAcceptsOnesFromEarlierVersions() throws IOException
    {
        final Path file = dir.resolve("goals.json");
        Files.write(file, CONTENTS);
        assertArrayEquals(CONTENTS, StateFile.readBytes(file, true));
        assertThrows(DamagedStateFileException.class, () -> StateFile.readBytes(file, false));
    }

    @Test
    void aDecoderThatStopsShortOrThrowsMeansDamage() throws IOException
    {
        final Path file = dir.resolve("state");
        StateFile.write(file, CONTENTS);
        assertEquals("bytes are left after its contents", assertThrows(DamagedStateFileException.class,
            () -> StateFile.read(file, false, InputStream::read)).reason());
        assertTrue(assertThrows(DamagedStateFileException.class, () -> StateFile.read(file, false, in ->
        {
            throw new IOException("no goals here");
        })).reason().contains("no goals here"));
    }

    @Test
    void theStateFilesSetADamagedFileAsideAndAnswerAsIfItWereAbsent() throws IOException
    {
        final StateFiles files = new StateFiles(dir.resolve("data"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.directory())));
        assertNull(files.load("goals.json", true, InputStream::readAllBytes), "absent");
        Files.write(files.path("goals.json"), new byte[0]);
        assertNull(files.load("goals.json", false, InputStream::readAllBytes), "damaged");
        assertFalse(Files.exists(files.path("goals.json")));
        final StateFiles.SetAside aside = files.setAside().get(0);
        assertEquals("goals.json", aside.file());
        assertTrue(Files.exists(files.path(aside.movedTo())));
        assertEquals(1, files.setAsideCount());
    }

    @Test
    void anOpenDataDirAndItsFilesAreMadePrivateAtStart() throws IOException
    {
        final Path data = Files.createDirectories(dir.resolve("open"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(data.resolve("admin-token"), "tally_admin_x");
        Files.setPosixFilePermissions(data.resolve("admin-token"), PosixFilePermissions.fromString("rw-r--r--"));
        new StateFiles(data);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("admin-token"))));
    }

    @Test
    void theLastHundredSetAsideFilesAreRememberedAndAllCounted() throws IOException
    {
        final StateFiles files = new StateFiles(dir.resolve("data"));
        for (int i = 0; i <= StateFiles.MAX_REMEMBERED; i++)
        {
            Files.write(files.path("f" + i), new byte[0]);
            files.load("f" + i, false, InputStream::readAllBytes);
        }
        assertEquals(StateFiles.MAX_REMEMBERED, files.setAside().size());
        assertEquals("f1", files.setAside().get(0).file());
        assertEquals(StateFiles.MAX_REMEMBERED + 1, files.setAsideCount());
    }

    private static void flip(final Path file, final long at) throws IOException
    {
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw"))
        {
            bytes.seek(at);
            final int b = bytes.read();
            bytes.seek(at);
            bytes.write(b ^ 0x01);
        }
    }
}
